"""Schema sync: tables, columns, keys and indexes; extending a live database.

Each test composes its own registries (``build_registry``) and syncs them
onto the module's database (``db_url``), with model names of its own so
that the tests do not see each other's tables.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from core import api, fields, models
from core.exceptions import UserError
from core.orm.database import Database
from tests.conftest import build_registry
from tests.orm.sample_models import ALL

MODELS = ALL


@contextmanager
def database(db_url, *classes):
    db = Database(db_url, build_registry(classes))
    try:
        yield db
    finally:
        db.close()


def _inspect(db):
    return sa.inspect(db.engine)


def _columns(db, table):
    return {c["name"]: c for c in _inspect(db).get_columns(table)}


def _rows(db, sql):
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql)]


# ---------------------------------------------------------------------------
# creating tables
# ---------------------------------------------------------------------------
class CreateCountry(models.Model):
    _name = "ts.create.country"
    _description = "Country"

    name = fields.Char(required=True)


class CreateTag(models.Model):
    _name = "ts.create.tag"
    _description = "Tag"

    name = fields.Char()


class CreatePartner(models.Model):
    _name = "ts.create.partner"
    _description = "Partner"

    name = fields.Char(required=True, index=True)
    ref = fields.Char(size=16)
    notes = fields.Text()
    amount = fields.Float(digits=(16, 2))
    count = fields.Integer()
    flag = fields.Boolean()
    day = fields.Date()
    moment = fields.Datetime()
    data = fields.Binary()
    kind = fields.Selection([("a", "A"), ("b", "B")])
    country_id = fields.Many2one("ts.create.country", ondelete="restrict")
    parent_id = fields.Many2one("ts.create.partner", ondelete="cascade")
    helper_id = fields.Many2one("ts.create.partner", index=False)
    tag_ids = fields.Many2many("ts.create.tag")
    child_ids = fields.One2many("ts.create.partner", "parent_id")
    label = fields.Char(compute="_compute_label")  # not stored: no column
    shout = fields.Char(compute="_compute_shout", store=True)

    _sql_constraints = [("ref_unique", "unique(ref)", "The reference must be unique.")]

    @api.depends("name")
    def _compute_label(self):
        for rec in self:
            rec.label = rec.name

    @api.depends("name")
    def _compute_shout(self):
        for rec in self:
            rec.shout = (rec.name or "").upper()


CREATE = [CreateCountry, CreateTag, CreatePartner]


def test_sync_creates_tables_and_columns(db_url):
    with database(db_url, *CREATE) as db:
        actions = db.sync_schema()
        assert {"create table ts_create_partner", "create table ts_create_country",
                "create table ts_create_tag",
                "create table ts_create_partner_ts_create_tag_rel"} <= set(actions)
        tables = set(_inspect(db).get_table_names())
        assert {"ts_create_partner", "ts_create_country", "ts_create_tag",
                "ts_create_partner_ts_create_tag_rel"} <= tables
        columns = _columns(db, "ts_create_partner")
        assert set(columns) == {
            "id", "create_uid", "create_date", "write_uid", "write_date",
            "name", "ref", "notes", "amount", "count", "flag", "day", "moment", "data",
            "kind", "country_id", "parent_id", "helper_id", "shout"}
        assert not columns["name"]["nullable"]
        assert columns["ref"]["nullable"]
        assert isinstance(columns["ref"]["type"], sa.String)
        assert columns["ref"]["type"].length == 16
        assert isinstance(columns["count"]["type"], sa.Integer)
        assert isinstance(columns["day"]["type"], sa.Date)
        assert isinstance(columns["moment"]["type"], sa.DateTime)
        assert isinstance(columns["data"]["type"], sa.LargeBinary)
        # and a second sync has nothing to do
        assert db.sync_schema() == []


def test_sync_creates_foreign_keys(db_url):
    with database(db_url, *CREATE) as db:
        db.sync_schema()
        fks = {fk["constrained_columns"][0]: fk
               for fk in _inspect(db).get_foreign_keys("ts_create_partner")}
        assert set(fks) == {"country_id", "parent_id", "helper_id"}
        assert fks["country_id"]["referred_table"] == "ts_create_country"
        assert fks["country_id"]["referred_columns"] == ["id"]
        assert fks["country_id"]["options"].get("ondelete", "").upper() == "RESTRICT"
        assert fks["parent_id"]["options"].get("ondelete", "").upper() == "CASCADE"
        assert fks["helper_id"]["options"].get("ondelete", "").upper() == "SET NULL"
        rel_fks = {fk["constrained_columns"][0]: fk for fk in
                   _inspect(db).get_foreign_keys("ts_create_partner_ts_create_tag_rel")}
        assert rel_fks["ts_create_partner_id"]["referred_table"] == "ts_create_partner"
        assert rel_fks["ts_create_tag_id"]["referred_table"] == "ts_create_tag"
        for fk in rel_fks.values():
            assert fk["options"].get("ondelete", "").upper() == "CASCADE"


def test_sync_creates_indexes_and_constraints(db_url):
    with database(db_url, *CREATE) as db:
        db.sync_schema()
        inspector = _inspect(db)
        indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("ts_create_partner")}
        assert ("name",) in indexed
        assert ("country_id",) in indexed  # many2one: indexed by default
        assert ("parent_id",) in indexed
        assert ("helper_id",) not in indexed  # index=False
        assert ("notes",) not in indexed
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(
            "ts_create_partner")}
        unique_indexes = {tuple(ix["column_names"]) for ix in
                          inspector.get_indexes("ts_create_partner") if ix["unique"]}
        assert ("ref",) in uniques | unique_indexes
        rel_pk = inspector.get_pk_constraint("ts_create_partner_ts_create_tag_rel")
        assert set(rel_pk["constrained_columns"]) == {"ts_create_partner_id", "ts_create_tag_id"}


class LongNames(models.Model):
    _name = "ts.a.model.with.a.rather.long.technical.name"
    _description = "Index names past PostgreSQL's 63 characters"

    tag_ids = fields.Many2many("ts.create.tag")
    a_many2one_field_with_a_long_name_too_id = fields.Many2one("ts.create.tag")


def test_sync_twice_with_names_past_the_identifier_limit(db_url):
    """PostgreSQL shortens such index names: a second sync must know them."""
    with database(db_url, *CREATE, LongNames) as db:
        db.sync_schema()
        assert db.sync_schema() == []
        with db.env() as env:
            tag = env["ts.create.tag"].create({"name": "T"})
            env[LongNames._name].create({"tag_ids": [(6, 0, tag.ids)],
                                         "a_many2one_field_with_a_long_name_too_id": tag.id})


def test_synced_tables_work(db_url):
    with database(db_url, *CREATE) as db:
        db.sync_schema()
        with db.env() as env:
            de = env["ts.create.country"].create({"name": "Germany"})
            tag = env["ts.create.tag"].create({"name": "t"})
            parent = env["ts.create.partner"].create({"name": "parent", "country_id": de.id})
            child = env["ts.create.partner"].create({
                "name": "child", "parent_id": parent.id, "tag_ids": [(6, 0, [tag.id])],
                "data": "aGVsbG8=", "day": "2024-02-29", "kind": "b", "amount": 1.25})
            child_id = child.id
        with db.env() as env:
            child = env["ts.create.partner"].browse(child_id)
            assert child.parent_id.name == "parent"
            assert child.tag_ids.name == "t"
            assert child.data == b"aGVsbG8="
            assert str(child.day) == "2024-02-29"
            assert child.shout == "CHILD"
            assert child.parent_id.child_ids == child
            env["ts.create.partner"].search([]).unlink()
            env["ts.create.country"].search([]).unlink()
            env["ts.create.tag"].search([]).unlink()


def test_ids_are_never_reused(db_url):
    """As PostgreSQL sequences, SQLite ids grow: a deleted record's id stays dead."""
    with database(db_url, *CREATE) as db:
        db.sync_schema()
        with db.env() as env:
            first, second = env["ts.create.tag"].create([{"name": "1"}, {"name": "2"}])
            second_id = second.id
            second.unlink()
        with db.env() as env:
            third = env["ts.create.tag"].create({"name": "3"})
            assert third.id > second_id
            third_id = third.id
            third.unlink()
            # a batch as well
            batch = env["ts.create.tag"].create([{"name": "4"}, {"name": "5"}])
            assert min(batch.ids) > third_id
            env["ts.create.tag"].search([]).unlink()


# ---------------------------------------------------------------------------
# extending a table that holds rows
# ---------------------------------------------------------------------------
class Lead(models.Model):
    _name = "ts.lead"
    _description = "Lead"

    name = fields.Char(required=True)
    revenue = fields.Float()


class LeadStage(models.Model):
    _name = "ts.lead.stage"
    _description = "Stage"

    name = fields.Char()


class LeadTag(models.Model):
    _name = "ts.lead.tag"
    _description = "Tag"

    name = fields.Char()


class LeadMore(models.Model):
    """An addon extending ts.lead: optional, defaulted and relational fields."""

    _inherit = "ts.lead"

    note = fields.Char(index=True)
    priority = fields.Integer(required=True, default=0)
    code = fields.Char(required=True, default="NEW")
    source = fields.Char(required=True, default=lambda self: f"src-{self._name}")
    active = fields.Boolean(default=True)
    state = fields.Selection([("new", "New"), ("won", "Won")], default="new")
    stage_id = fields.Many2one("ts.lead.stage", ondelete="set null")
    tag_ids = fields.Many2many("ts.lead.tag")
    revenue_k = fields.Float(compute="_compute_revenue_k", store=True)

    _sql_constraints = [("code_name_unique", "unique(name, code)", "Name and code repeat.")]

    @api.depends("revenue")
    def _compute_revenue_k(self):
        for lead in self:
            lead.revenue_k = lead.revenue / 1000


class LeadOptional(models.Model):
    _inherit = "ts.lead"

    name = fields.Char(required=False)


class LeadRequired(models.Model):
    _inherit = "ts.lead"

    mandatory = fields.Char(required=True)


def _seed_leads(db_url):
    """A ts.lead table as the first registry makes it, with two rows."""
    with database(db_url, Lead) as db:
        with db.engine.begin() as conn:
            for table in ("ts_lead_ts_lead_tag_rel", "ts_lead", "ts_lead_stage", "ts_lead_tag"):
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        db.sync_schema()
        with db.env() as env:
            leads = env["ts.lead"].create([{"name": "alpha", "revenue": 1500},
                                           {"name": "beta", "revenue": 2500}])
            return leads.ids


def test_extend_adds_columns_and_keeps_rows(db_url):
    ids = _seed_leads(db_url)
    with database(db_url, Lead, LeadStage, LeadTag, LeadMore) as db:
        actions = db.sync_schema()
        for column in ("note", "priority", "code", "source", "active", "state", "stage_id",
                       "revenue_k"):
            assert f"add column ts_lead.{column}" in actions
        assert "create table ts_lead_ts_lead_tag_rel" in actions
        assert "create table ts_lead_stage" in actions
        assert set(_columns(db, "ts_lead")) >= {"name", "revenue", "note", "stage_id"}
        with db.env() as env:
            leads = env["ts.lead"].browse(ids)
            assert leads.mapped("name") == ["alpha", "beta"]
            assert leads.mapped("revenue") == [1500, 2500]
            assert leads.mapped("note") == [False, False]
            assert not leads.mapped("stage_id")
            # the new fields work on old rows
            stage = env["ts.lead.stage"].create({"name": "Qualified"})
            tag = env["ts.lead.tag"].create({"name": "hot"})
            leads.write({"note": "n", "stage_id": stage.id, "tag_ids": [(4, tag.id)]})
        with db.env() as env:
            leads = env["ts.lead"].browse(ids)
            assert leads.mapped("stage_id.name") == ["Qualified"]
            assert leads[1].tag_ids.name == "hot"
            # and a second sync has nothing more to do
        assert db.sync_schema() == []


def test_extend_fills_required_defaults(db_url):
    ids = _seed_leads(db_url)
    with database(db_url, Lead, LeadStage, LeadTag, LeadMore) as db:
        db.sync_schema()
        rows = _rows(db, "SELECT id, priority, code, source FROM ts_lead ORDER BY id")
        assert rows == [(ids[0], 0, "NEW", "src-ts.lead"), (ids[1], 0, "NEW", "src-ts.lead")]
        columns = _columns(db, "ts_lead")
        if db.dialect == "postgresql":
            assert not columns["code"]["nullable"]
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.exec_driver_sql("UPDATE ts_lead SET code = NULL")


def test_extend_fills_optional_defaults_as_odoo(db_url):
    """As Odoo's _init_column: existing rows get the default of a new column;
    a new ``active`` field must not archive every existing record."""
    ids = _seed_leads(db_url)
    with database(db_url, Lead, LeadStage, LeadTag, LeadMore) as db:
        db.sync_schema()
        with db.env() as env:
            assert env["ts.lead"].search([("id", "in", ids)]).ids == ids
            leads = env["ts.lead"].browse(ids)
            assert leads.mapped("active") == [True, True]
            assert leads.mapped("state") == ["new", "new"]


def test_extend_computes_new_stored_computed_fields(db_url):
    """As Odoo: a new stored computed column is computed for the existing rows."""
    ids = _seed_leads(db_url)
    with database(db_url, Lead, LeadStage, LeadTag, LeadMore) as db:
        db.sync_schema()
        assert _rows(db, "SELECT revenue_k FROM ts_lead ORDER BY id") == [(1.5,), (2.5,)]
        with db.env() as env:
            assert env["ts.lead"].browse(ids).mapped("revenue_k") == [1.5, 2.5]
            assert env["ts.lead"].search([("revenue_k", ">", 2)]).ids == [ids[1]]


def test_extend_adds_foreign_keys_and_indexes(db_url):
    _seed_leads(db_url)
    with database(db_url, Lead, LeadStage, LeadTag, LeadMore) as db:
        db.sync_schema()
        inspector = _inspect(db)
        fks = {fk["constrained_columns"][0]: fk for fk in inspector.get_foreign_keys("ts_lead")}
        assert fks["stage_id"]["referred_table"] == "ts_lead_stage"
        indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("ts_lead")}
        assert ("note",) in indexed and ("stage_id",) in indexed
        with db.env() as env:
            stage = env["ts.lead.stage"].create({"name": "gone"})
            lead = env["ts.lead"].create({"name": "gamma", "stage_id": stage.id})
            lead_id = stage_id = None
            lead_id, stage_id = lead.id, stage.id
        with db.engine.begin() as conn:
            # the database keeps the reference right by itself: set null
            conn.exec_driver_sql(f"DELETE FROM ts_lead_stage WHERE id = {int(stage_id)}")
            assert conn.exec_driver_sql(
                f"SELECT stage_id FROM ts_lead WHERE id = {int(lead_id)}").scalar() is None
            conn.exec_driver_sql(f"DELETE FROM ts_lead WHERE id = {int(lead_id)}")


def test_extend_adds_sql_constraints(db_url):
    _seed_leads(db_url)
    with database(db_url, Lead, LeadStage, LeadTag, LeadMore) as db:
        db.sync_schema()
        with db.env() as env:
            env["ts.lead"].create({"name": "delta", "code": "D"})
            from core.exceptions import ValidationError

            with pytest.raises(ValidationError, match="Name and code repeat"):
                env["ts.lead"].create({"name": "delta", "code": "D"})
            env["ts.lead"].search([("name", "=", "delta")]).unlink()


def test_new_required_field_without_default_on_rows_stops(db_url):
    ids = _seed_leads(db_url)
    with database(db_url, Lead, LeadRequired) as db, pytest.raises(UserError) as exc_info:
        db.sync_schema()
    message = str(exc_info.value)
    assert "ts_lead.mandatory" in message
    assert "default" in message
    # nothing was changed: no column, rows intact
    with database(db_url, Lead) as db:
        assert "mandatory" not in _columns(db, "ts_lead")
        with db.env() as env:
            assert env["ts.lead"].browse(ids).mapped("name") == ["alpha", "beta"]


def test_new_required_field_without_default_on_empty_table(db_url):
    _seed_leads(db_url)
    with database(db_url, Lead) as db, db.env() as env:
        env["ts.lead"].search([]).unlink()
    with database(db_url, Lead, LeadRequired) as db:
        assert "add column ts_lead.mandatory" in db.sync_schema()
        with db.env() as env:
            lead = env["ts.lead"].create({"name": "x", "mandatory": "yes"})
            assert lead.mandatory == "yes"
            lead.unlink()


def test_sync_drops_nothing(db_url):
    ids = _seed_leads(db_url)
    with database(db_url, Lead, LeadStage, LeadTag, LeadMore) as db:
        db.sync_schema()
        with db.env() as env:
            env["ts.lead"].browse(ids).write({"note": "kept"})
    # back to the first registry: the extension's column and tables stay
    with database(db_url, Lead) as db:
        actions = db.sync_schema()
        # the leftover required columns lose NOT NULL (PostgreSQL), nothing else
        assert all(a.startswith("drop not null ts_lead.") for a in actions), actions
        assert db.sync_schema() == []
        assert "note" in _columns(db, "ts_lead")
        tables = set(_inspect(db).get_table_names())
        assert {"ts_lead_stage", "ts_lead_ts_lead_tag_rel"} <= tables
        assert _rows(db, "SELECT note FROM ts_lead ORDER BY id") == [("kept",), ("kept",)]
        with db.env() as env:
            # the ORM of the smaller registry still works on the wider table
            lead = env["ts.lead"].create({"name": "epsilon"})
            assert lead.exists()
            lead.unlink()


def test_field_made_optional(db_url):
    _seed_leads(db_url)
    with database(db_url, Lead, LeadOptional) as db:
        actions = db.sync_schema()
        with db.env() as env:
            if db.dialect == "postgresql":
                assert actions == ["drop not null ts_lead.name"]
                lead = env["ts.lead"].create({"revenue": 5})
                assert lead.name is False
            else:
                # SQLite cannot alter a column: the database still wants a name,
                # and says so in the ORM's words
                from core.exceptions import ValidationError

                assert actions == []
                with pytest.raises(ValidationError, match="name"):
                    env["ts.lead"].create({"revenue": 5})
