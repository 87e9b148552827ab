"""Transactions: commit and rollback of ``db.env()``, failing operations that
leave nothing half-written, readable errors, and a cache that stays right."""

from __future__ import annotations

import uuid

import pytest

from core import fields, models
from core.exceptions import MissingError, UserError, ValidationError
from tests.orm.sample_models import ALL


class Item(models.Model):
    _name = "tt.item"
    _description = "Stock item"

    name = fields.Char(required=True)
    code = fields.Char(size=8)
    warehouse = fields.Char()
    qty = fields.Integer()
    partner_id = fields.Many2one("test.partner", ondelete="restrict")
    kind = fields.Selection([("good", "Good"), ("service", "Service")])
    day = fields.Date()

    _sql_constraints = [
        ("code_warehouse_unique", "unique(code, warehouse)",
         "An item code is unique per warehouse."),
        ("qty_positive", "check(qty >= 0)", "The quantity of an item cannot be negative."),
    ]


class Importer(models.Model):
    _name = "tt.importer"
    _description = "Imports partners, skipping the bad ones"

    name = fields.Char()

    def import_partners(self, vals_list, savepoint=True):
        """Create each partner; return the errors of those that failed."""
        errors = []
        for vals in vals_list:
            try:
                with self.env.transaction.atomic(savepoint=savepoint):
                    self.env["test.partner"].create(vals)
            except ValidationError as exc:
                errors.append(str(exc))
        return errors


MODELS = [*ALL, Item, Importer]

RAW_ERROR_WORDS = ("sqlalchemy", "IntegrityError", "psycopg", "sqlite3", "[SQL:", "DETAIL")


def _readable(exc_info) -> str:
    message = str(exc_info.value)
    for word in RAW_ERROR_WORDS:
        assert word not in message, f"raw database error leaked: {message}"
    assert not isinstance(exc_info.value.__cause__, Exception) or \
        "sqlalchemy" not in type(exc_info.value.__cause__).__module__
    return message


def _marker() -> str:
    return f"m-{uuid.uuid4().hex[:10]}"


def _count(env, model, domain=()):
    return env[model].with_context(active_test=False).search_count(list(domain))


# ---------------------------------------------------------------------------
# db.env(): commit or roll back
# ---------------------------------------------------------------------------
def test_env_commits_on_success(db):
    name = _marker()
    with db.env() as env:
        partner = env["test.partner"].create({"name": name})
        partner_id = partner.id
    with db.env() as env:
        found = env["test.partner"].search([("name", "=", name)])
        assert found.ids == [partner_id]
        found.unlink()
    with db.env() as env:
        assert not env["test.partner"].search([("name", "=", name)])


def test_env_rolls_back_on_exception(db):
    name = _marker()
    with pytest.raises(RuntimeError, match="boom"), db.env() as env:
        env["test.partner"].create({"name": name})
        assert env["test.partner"].search([("name", "=", name)])
        raise RuntimeError("boom")
    with db.env() as env:
        assert not env["test.partner"].search([("name", "=", name)])


def test_env_rolls_back_writes_and_unlinks(db):
    name = _marker()
    with db.env() as env:
        partner_id = env["test.partner"].create({"name": name, "credit_limit": 5}).id
    with pytest.raises(RuntimeError), db.env() as env:
        env["test.partner"].browse(partner_id).write({"credit_limit": 99})
        env["test.partner"].create({"name": name + "-other"})
        env["test.partner"].browse(partner_id).unlink()
        raise RuntimeError("undo all of it")
    with db.env() as env:
        partner = env["test.partner"].browse(partner_id)
        assert partner.exists()
        assert partner.credit_limit == 5
        assert not env["test.partner"].search([("name", "=", name + "-other")])
        partner.unlink()


def test_env_commits_pending_recomputations(db):
    name = _marker()
    with db.env() as env:
        partner = env["test.partner"].create({"name": name})
        order = env["test.order"].create({"partner_id": partner.id, "line_ids": [
            (0, 0, {"product": "A", "quantity": 1, "price_unit": 10})]})
        partner_id, order_id = partner.id, order.id
    with db.env() as env:
        # a write whose consequences are only in the cache at the end of the block
        env["test.order"].browse(order_id).line_ids.write({"quantity": 3})
    with db.env() as env:
        table = env["test.order"]._table_obj
        total = env.execute(table.select().with_only_columns(table.c.amount_total)
                            .where(table.c.id == order_id)).scalar()
        assert total == 30
        assert env["test.partner"].browse(partner_id).total_ordered == 30
        env["test.order"].browse(order_id).unlink()
        env["test.partner"].browse(partner_id).unlink()


def test_env_keeps_work_before_a_caught_error(db):
    """A failed operation that the caller handles does not spoil the transaction."""
    name = _marker()
    email = f"{name}@example.com"
    with db.env() as env:
        env["test.partner"].create({"name": name, "email": email})
        with pytest.raises(ValidationError):
            env["test.partner"].create({"name": name + "-dup", "email": email})
        env["test.partner"].create({"name": name + "-after"})
    with db.env() as env:
        found = env["test.partner"].search([("name", "like", name)])
        assert sorted(found.mapped("name")) == [name, name + "-after"]
        found.unlink()


def test_env_rolls_back_when_an_error_leaves_the_block(db):
    name = _marker()
    with pytest.raises(ValidationError), db.env() as env:
        env["test.partner"].create({"name": name})
        env["test.order.line"].create({"order_id": 999_999, "product": "x"})
    with db.env() as env:
        assert not env["test.partner"].search([("name", "=", name)])


# ---------------------------------------------------------------------------
# unique constraints from _sql_constraints
# ---------------------------------------------------------------------------
def test_unique_violation_on_create(env):
    env["test.partner"].create({"name": "First", "email": "x@example.com"})
    before = _count(env, "test.partner")
    with pytest.raises(ValidationError) as exc_info:
        env["test.partner"].create({"name": "Second", "email": "x@example.com"})
    assert _readable(exc_info) == "Another partner already uses this e-mail address."
    assert _count(env, "test.partner") == before
    assert not env["test.partner"].search([("name", "=", "Second")])


def test_unique_violation_inside_batch_create(env):
    before = _count(env, "test.partner")
    with pytest.raises(ValidationError, match="Another partner already uses"):
        env["test.partner"].create([{"name": "A", "email": "dup@example.com"},
                                    {"name": "B", "email": "other@example.com"},
                                    {"name": "C", "email": "dup@example.com"}])
    assert _count(env, "test.partner") == before


def test_unique_violation_on_write(env):
    first, second = env["test.partner"].create([{"name": "A", "email": "a@example.com"},
                                                {"name": "B", "email": "b@example.com"}])
    with pytest.raises(ValidationError) as exc_info:
        second.write({"name": "B2", "email": "a@example.com"})
    assert "Another partner already uses" in _readable(exc_info)
    assert second.name == "B"
    assert second.email == "b@example.com"
    env.invalidate_all()
    assert second.read(["name", "email"])[0] == {"id": second.id, "name": "B",
                                                  "email": "b@example.com"}
    assert first.email == "a@example.com"


def test_unique_violation_on_two_columns(env):
    env["tt.item"].create({"name": "a", "code": "X1", "warehouse": "W1"})
    env["tt.item"].create({"name": "b", "code": "X1", "warehouse": "W2"})
    with pytest.raises(ValidationError) as exc_info:
        env["tt.item"].create({"name": "c", "code": "X1", "warehouse": "W1"})
    assert _readable(exc_info) == "An item code is unique per warehouse."
    assert _count(env, "tt.item") == 2


def test_check_constraint(env):
    with pytest.raises(ValidationError) as exc_info:
        env["tt.item"].create({"name": "neg", "qty": -1})
    assert _readable(exc_info) == "The quantity of an item cannot be negative."
    item = env["tt.item"].create({"name": "pos", "qty": 1})
    with pytest.raises(ValidationError, match="cannot be negative"):
        item.qty = -3
    assert item.qty == 1
    assert not env["tt.item"].search([("name", "=", "neg")])


def test_unique_violation_of_a_line_created_through_its_owner(env):
    """A failure deep inside a create undoes the whole create."""
    partner = env["test.partner"].create({"name": "Owner", "email": "o@example.com"})
    before = (_count(env, "test.partner"), _count(env, "test.order"))
    with pytest.raises(ValidationError, match="Another partner"):
        env["test.partner"].create({"name": "Parent", "child_ids": [
            (0, 0, {"name": "Kid 1"}), (0, 0, {"name": "Kid 2", "email": "o@example.com"})]})
    assert (_count(env, "test.partner"), _count(env, "test.order")) == before
    assert not env["test.partner"].search([("name", "in", ["Parent", "Kid 1", "Kid 2"])])
    assert partner.exists()


# ---------------------------------------------------------------------------
# required, wrong types, missing records
# ---------------------------------------------------------------------------
def test_required_missing_on_create(env):
    before = _count(env, "test.partner")
    with pytest.raises(ValidationError) as exc_info:
        env["test.partner"].create([{"name": "ok"}, {"email": "nobody@example.com"}])
    message = _readable(exc_info)
    assert "test.partner.name" in message and "required" in message
    assert _count(env, "test.partner") == before


def test_required_emptied_on_write(env):
    partner = env["test.partner"].create({"name": "Keep"})
    for empty in (False, None):
        with pytest.raises(ValidationError, match=r"test\.partner\.name"):
            partner.write({"name": empty, "email": "changed@example.com"})
        assert partner.name == "Keep"
        assert partner.email is False


@pytest.mark.parametrize(("field", "value"), [
    ("credit_limit", "a lot"),
    ("credit_limit", [1]),
    ("country_id", "Germany"),
    ("country_id", 999_999),
    ("name", {"nested": "dict"}),
    ("name", "nul\x00byte"),
    ("email", b"\xff\xfe not utf-8"),
])
def test_wrong_type_on_create_names_the_field(env, field, value):
    before = _count(env, "test.partner")
    with pytest.raises(ValidationError) as exc_info:
        env["test.partner"].create({"name": "Typed", field: value})
    assert f"test.partner.{field}" in _readable(exc_info)
    assert _count(env, "test.partner") == before


@pytest.mark.parametrize(("field", "value"), [
    ("qty", "three"),
    ("qty", 2**40),
    ("qty", 1.5),
    ("code", "far too long for eight"),
    ("kind", "product"),
    ("day", "31/12/2024"),
    ("partner_id", -4),
])
def test_wrong_type_on_write_names_the_field(env, field, value):
    item = env["tt.item"].create({"name": "i", "qty": 2, "code": "C", "kind": "good",
                                  "day": "2024-01-02"})
    snapshot = item.read(["name", "qty", "code", "kind", "day", "partner_id"])
    with pytest.raises(ValidationError) as exc_info:
        item.write({"name": "renamed", field: value})
    assert f"tt.item.{field}" in _readable(exc_info)
    assert item.read(["name", "qty", "code", "kind", "day", "partner_id"]) == snapshot
    env.invalidate_all()
    assert item.read(["name", "qty", "code", "kind", "day", "partner_id"]) == snapshot


def test_write_on_deleted_record(env):
    partner = env["test.partner"].create({"name": "Ghost"})
    other = env["test.partner"].create({"name": "Alive"})
    env["test.partner"].browse(partner.id).unlink()
    with pytest.raises(MissingError):
        (partner | other).write({"credit_limit": 7})
    assert other.credit_limit == 0
    other.credit_limit = 8
    assert other.credit_limit == 8


# ---------------------------------------------------------------------------
# restrict on delete
# ---------------------------------------------------------------------------
def test_restrict_delete(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    acme = env["test.partner"].create({"name": "Acme", "country_id": de.id})
    with pytest.raises(UserError) as exc_info:
        de.unlink()
    message = _readable(exc_info)
    assert "Germany" in message and "Country" in message
    assert de.exists()
    assert acme.country_id == de
    assert acme.country_code == "DE"


def test_restrict_delete_in_a_batch_deletes_nothing(env):
    de, fr = env["test.country"].create([{"name": "Germany", "code": "DE"},
                                         {"name": "France", "code": "FR"}])
    env["test.partner"].create({"name": "Acme", "country_id": de.id})
    with pytest.raises(UserError):
        (fr | de).unlink()
    assert (fr | de).exists() == fr | de


def test_restrict_delete_of_a_required_many2one(env):
    partner = env["test.partner"].create({"name": "Buyer"})
    order = env["test.order"].create({"partner_id": partner.id})
    with pytest.raises(UserError) as exc_info:
        partner.unlink()
    assert "Buyer" in _readable(exc_info)
    assert partner.exists() and order.exists()
    order.unlink()
    partner.unlink()
    assert not partner.exists()


def test_cascade_delete_with_failure_deletes_nothing(env):
    """Deleting a parent cascades to its children; a child still referred to
    (restrict) stops the whole delete."""
    parent = env["test.partner"].create({"name": "Parent"})
    child = env["test.partner"].create({"name": "Child", "parent_id": parent.id})
    order = env["test.order"].create({"partner_id": child.id, "line_ids": [
        (0, 0, {"product": "A"})]})
    with pytest.raises(UserError) as exc_info:
        parent.unlink()
    _readable(exc_info)
    assert parent.exists() and child.exists() and order.exists()
    assert child.parent_id == parent
    assert parent.child_ids == child
    # once the order is gone, the cascade goes through
    order.unlink()
    parent.unlink()
    assert not child.exists()


# ---------------------------------------------------------------------------
# the transaction and the cache after a failure
# ---------------------------------------------------------------------------
def test_transaction_usable_after_database_error(env):
    env["test.partner"].create({"name": "A", "email": "a@example.com"})
    with pytest.raises(ValidationError):
        env["test.partner"].create({"name": "B", "email": "a@example.com"})
    # reads, searches, writes and raw SQL all work on (PostgreSQL included)
    assert env["test.partner"].search_count([("email", "=", "a@example.com")]) == 1
    c = env["test.partner"].create({"name": "C", "email": "c@example.com"})
    c.write({"credit_limit": 3})
    assert c.credit_limit == 3
    table = env["test.partner"]._table_obj
    assert env.execute(table.select().with_only_columns(table.c.name)
                       .where(table.c.id == c.id)).scalar() == "C"
    for _ in range(3):
        with pytest.raises(ValidationError):
            c.write({"email": "a@example.com"})
    c.unlink()
    assert not c.exists()


def test_cache_consistent_after_failed_write(env):
    partner = env["test.partner"].create({"name": "A", "email": "a@example.com",
                                          "credit_limit": 1})
    env["test.partner"].create({"name": "B", "email": "b@example.com"})
    partner.name = "A2"  # succeeds
    # the column update succeeds, then the many2many link fails: all of it is undone
    with pytest.raises(ValidationError, match=r"test\.partner\.tag_ids"):
        partner.write({"name": "A3", "credit_limit": 50, "tag_ids": [(4, 999_999)]})
    assert partner.name == "A2"
    assert partner.credit_limit == 1
    assert not partner.tag_ids
    # the database agrees
    table = partner._table_obj
    row = env.execute(table.select().with_only_columns(table.c.name, table.c.credit_limit)
                      .where(table.c.id == partner.id)).one()
    assert tuple(row) == ("A2", 1)
    with pytest.raises(ValidationError):
        partner.write({"name": "A4", "email": "b@example.com"})
    assert partner.name == "A2"
    assert partner.email == "a@example.com"


def test_cache_consistent_after_failed_create_with_lines(env):
    partner = env["test.partner"].create({"name": "Buyer"})
    order = env["test.order"].create({"partner_id": partner.id, "line_ids": [
        (0, 0, {"product": "A", "quantity": 1, "price_unit": 10})]})
    assert partner.total_ordered == 10
    assert partner.order_count == 1
    with pytest.raises(ValidationError, match="cannot be negative"):
        env["test.order"].create({"partner_id": partner.id, "line_ids": [
            (0, 0, {"product": "B", "quantity": -1, "price_unit": 10})]})
    assert partner.total_ordered == 10
    assert partner.order_count == 1
    assert partner.order_ids == order
    assert order.line_ids.mapped("product") == ["A"]
    # and what depends on them still follows
    order.line_ids.quantity = 2
    assert partner.total_ordered == 20


def test_cache_consistent_after_failed_unlink(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    acme = env["test.partner"].create({"name": "Acme", "country_id": de.id})
    with pytest.raises(UserError):
        de.unlink()
    assert de.name == "Germany"
    assert acme.country_id.name == "Germany"
    assert env["test.partner"].search([("country_id.code", "=", "DE")]) == acme


def test_records_created_before_a_failure_stay_readable(env):
    partners = env["test.partner"].create([{"name": f"P{i}"} for i in range(5)])
    with pytest.raises(ValidationError):
        env["test.partner"].create({"email": "no-name@example.com"})
    assert partners.mapped("name") == [f"P{i}" for i in range(5)]
    partners.write({"credit_limit": 2})
    assert set(partners.mapped("credit_limit")) == {2}


# ---------------------------------------------------------------------------
# errors of nested operations
# ---------------------------------------------------------------------------
def test_nested_operation_error_is_readable(env):
    """Inside a method that already runs in a block, errors are ORM errors too."""
    env["test.partner"].create({"name": "A", "email": "a@example.com"})
    importer = env["tt.importer"].create({"name": "i"})
    with pytest.raises(LookupError), env.transaction.atomic():
        errors = importer.import_partners([{"name": "B", "email": "a@example.com"}],
                                          savepoint=False)
        assert errors == ["Another partner already uses this e-mail address."]
        # without a savepoint of its own the block is spoilt (on PostgreSQL): give it up
        raise LookupError
    assert env["test.partner"].search_count([("email", "=", "a@example.com")]) == 1
    assert not env["test.partner"].search([("name", "=", "B")])


def test_nested_savepoint_lets_a_caller_go_on(env):
    env["test.partner"].create({"name": "A", "email": "a@example.com"})
    importer = env["tt.importer"].create({"name": "i"})
    before = _count(env, "test.partner")

    def run():
        return importer.import_partners([
            {"name": "B", "email": "b@example.com"},
            {"name": "dup", "email": "a@example.com"},
            {"email": "no-name@example.com"},
            {"name": "C", "email": "c@example.com"},
        ])

    with env.transaction.atomic():
        errors = run()
    assert errors[0] == "Another partner already uses this e-mail address."
    assert "test.partner.name" in errors[1]
    assert len(errors) == 2
    assert _count(env, "test.partner") == before + 2
    assert sorted(env["test.partner"].search([("email", "in", [
        "b@example.com", "c@example.com"])]).mapped("name")) == ["B", "C"]
    assert not env["test.partner"].search([("name", "=", "dup")])
