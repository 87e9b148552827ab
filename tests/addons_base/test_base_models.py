"""The business models of ``base``, in a registry of their own (no module system).

A module fixture commits a small world once per database (languages,
currencies, groups, the main company, the superuser as user 1, an
administrator); each test works on it and is rolled back.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import threading
import time

import pytest

from core.exceptions import AccessDenied, AccessError, UserError, ValidationError
from core.orm.environment import Environment, Transaction
from core.security import hash_password, needs_rehash, verify_password
from tests.addons_base.base_models import BASE_MODELS

MODELS = BASE_MODELS
ADMIN_PASSWORD = "correct horse battery staple"


def _xmlid(env, name: str, record) -> None:
    env["ir.model.data"].create({"module": "base", "name": name, "model": record._name,
                                 "res_id": record.id, "noupdate": True})


def bootstrap(env) -> None:
    """What base's data files make, in short (see test_base_data for the real ones)."""
    Lang = env["res.lang"]  # noqa: N806
    Lang.create([{"name": "English (US)", "code": "en_US", "url_code": "en", "active": True},
                 {"name": "Chinese (Traditional)", "code": "zh_TW", "active": True}])
    Currency = env["res.currency"]  # noqa: N806
    for code, symbol, rounding, position in [("USD", "$", 0.01, "before"),
                                             ("EUR", "€", 0.01, "after"),
                                             ("JPY", "¥", 1.0, "before"),
                                             ("TWD", "NT$", 0.01, "before")]:
        _xmlid(env, code, Currency.create({"name": code, "symbol": symbol,
                                           "rounding": rounding, "position": position}))
    Groups = env["res.groups"]  # noqa: N806
    user = Groups.create({"name": "Internal User"})
    manager = Groups.create({"name": "Access Rights"})
    system = Groups.create({"name": "Settings", "implied_ids": [(4, manager.id)]})
    partner_manager = Groups.create({"name": "Contact Creation"})
    portal = Groups.create({"name": "Portal", "share": True})
    for name, group in [("group_user", user), ("group_erp_manager", manager),
                        ("group_system", system), ("group_partner_manager", partner_manager),
                        ("group_portal", portal)]:
        _xmlid(env, name, group)
    company = env["res.company"].create({"name": "My Company"})
    _xmlid(env, "main_company", company)
    _xmlid(env, "main_partner", company.partner_id)
    root = env["res.users"].create({"name": "System", "login": "__system__", "active": False,
                                    "groups_id": [(6, 0, [user.id, system.id])]})
    assert root.id == 1, "the superuser must be the first user"
    _xmlid(env, "user_root", root)
    admin = env["res.users"].create({"name": "Administrator", "login": "admin",
                                     "password": ADMIN_PASSWORD, "email": "admin@example.com",
                                     "groups_id": [(6, 0, [user.id, system.id])]})
    _xmlid(env, "user_admin", admin)


@pytest.fixture(scope="module", autouse=True)
def base_world(db):
    with db.engine.connect() as connection:
        with connection.begin():
            # no user exists yet: the first records are created by nobody
            env = Environment(Transaction(db.registry, connection), None, {}, True)
            bootstrap(env)
            env.transaction.flush()


@pytest.fixture
def user_env(env):
    """An environment of a plain internal user (not the superuser)."""
    user = env["res.users"].create({"name": "Mei Chen", "login": "mei", "password": "mei-pass"})
    # this registry has no installed data: grant the rights the tests need
    for model_name in ("ir.attachment", "res.users"):
        model = env["ir.model"].search([("model", "=", model_name)]) or \
            env["ir.model"].create({"model": model_name, "name": model_name})
        env["ir.model.access"].create({
            "name": f"{model_name} for everyone", "model_id": model.id, "perm_read": True,
            "perm_write": True, "perm_create": True, "perm_unlink": True})
    return env(user=user.id, su=False)


# ---------------------------------------------------------------------------
# partners
# ---------------------------------------------------------------------------
def test_partner_display_name_and_commercial_partner(env):
    Partner = env["res.partner"]  # noqa: N806
    acme = Partner.create({"name": "Acme", "is_company": True, "vat": "DE123"})
    jane = Partner.create({"name": "Jane", "parent_id": acme.id})
    bob = Partner.create({"name": "Bob", "parent_id": jane.id})
    assert acme.display_name == "Acme"
    assert jane.display_name == "Acme, Jane"
    assert bob.display_name == "Acme, Bob"
    assert jane.commercial_partner_id == acme
    assert bob.commercial_partner_id == acme
    assert acme.commercial_partner_id == acme
    assert (jane.vat, bob.vat) == ("DE123", "DE123")   # commercial fields follow
    delivery = Partner.create({"parent_id": acme.id, "type": "delivery", "city": "Hamburg"})
    assert delivery.display_name == "Acme, Delivery Address"
    # renaming the company renames its contacts
    acme.name = "Acme GmbH"
    assert jane.display_name == "Acme GmbH, Jane"
    assert bob.display_name == "Acme GmbH, Bob"
    # a contact that becomes independent is its own commercial entity
    jane.parent_id = False
    assert jane.commercial_partner_id == jane
    assert bob.commercial_partner_id == jane
    assert bob.display_name == "Jane, Bob"
    assert Partner.search([("display_name", "ilike", "gmbh")]) >= acme
    assert Partner.name_search("Acme GmbH, D")[0][0] == delivery.id
    # stored values are right in the database too
    env.invalidate_all()
    assert Partner.search([("commercial_partner_id", "=", acme.id)]) == acme | delivery


def test_partner_company_type_address_sync_and_recursion(env):
    Partner = env["res.partner"]  # noqa: N806
    person = Partner.create({"name": "Solo"})
    assert person.company_type == "person"
    person.company_type = "company"
    assert person.is_company
    assert Partner.search([("company_type", "=", "company"), ("id", "=", person.id)])
    company = Partner.create({"name": "Hub", "is_company": True, "city": "Taipei",
                              "street": "1 Main Road"})
    contact = Partner.create({"name": "Li", "parent_id": company.id})
    assert (contact.city, contact.street) == ("Taipei", "1 Main Road")
    company.write({"city": "Kaohsiung", "vat": "TW-1"})
    assert (contact.city, contact.vat) == ("Kaohsiung", "TW-1")
    invoice = Partner.create({"name": "Billing", "parent_id": company.id, "type": "invoice",
                              "city": "Tainan"})
    company.city = "Taichung"
    assert (invoice.city, invoice.vat) == ("Tainan", "TW-1")   # own address, shared tax id
    with pytest.raises(ValidationError, match="recursive"):
        company.parent_id = contact
    with pytest.raises(ValidationError, match="require a name"):
        Partner.create({"email": "nobody@example.com"})
    pid, name = Partner.name_create("Wang Wei <wang@example.com>")
    assert (Partner.browse(pid).email, name) == ("wang@example.com", "Wang Wei")
    assert company.address_get(["delivery", "invoice"]) == {
        "contact": company.id, "delivery": company.id, "invoice": invoice.id}


def test_partner_tags_and_language(env):
    parent = env["res.partner.category"].create({"name": "Customer"})
    child = env["res.partner.category"].create({"name": "VIP", "parent_id": parent.id})
    assert child.display_name == "Customer / VIP"
    partner = env["res.partner"].create({"name": "Tagged", "category_id": [(4, child.id)],
                                         "lang": "zh_TW"})
    assert partner.category_id == child
    assert partner.lang == "zh_TW"
    with pytest.raises(ValidationError):
        env["res.partner"].create({"name": "Klingon", "lang": "tlh"})


# ---------------------------------------------------------------------------
# companies and users
# ---------------------------------------------------------------------------
def test_company_creates_its_partner(env):
    usd = env.ref("base.USD")
    company = env["res.company"].create({"name": "Troika Trading", "email": "hi@troika.test",
                                         "vat": "TW42"})
    assert company.currency_id == usd            # default
    partner = company.partner_id
    assert (partner.name, partner.is_company) == ("Troika Trading", True)
    assert (partner.email, partner.vat) == ("hi@troika.test", "TW42")
    company.write({"phone": "+886 2 1234", "name": "Troika Trading Ltd"})
    assert partner.phone == "+886 2 1234"
    assert partner.name == "Troika Trading Ltd"
    assert company in env.user.company_ids       # the creator may work in it
    jpy = env.ref("base.JPY")
    jpy.active = False
    other = env["res.company"].create({"name": "Tokyo Branch", "currency_id": jpy.id,
                                       "parent_id": company.id})
    assert jpy.active                            # a company's currency is active
    assert other.root_id == company
    with pytest.raises(UserError, match="main company"):
        env.ref("base.main_company").unlink()


def test_user_creation_makes_its_partner(env):
    user = env["res.users"].create({"name": "Mei Chen", "login": "mei",
                                    "email": "mei@example.com"})
    partner = user.partner_id
    assert (partner.name, partner.email) == ("Mei Chen", "mei@example.com")
    assert user.name == "Mei Chen"
    assert user.company_id == env.ref("base.main_company")
    assert user.company_ids == user.company_id
    assert user.has_group("base.group_user") and not user.share
    assert not partner.partner_share
    user.name = "Mei-Ling Chen"
    assert partner.name == "Mei-Ling Chen"
    assert env["res.users"].search([("name", "=", "Mei-Ling Chen")]) == user
    assert env["res.users"].name_search("mei")[0][0] == user.id
    with pytest.raises(ValidationError, match="same login"):
        env["res.users"].create({"name": "Other Mei", "login": "mei"})
    portal = env["res.users"].create({"name": "Customer", "login": "customer",
                                      "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
    assert portal.share and portal.partner_id.partner_share
    copy = user.copy()
    assert (copy.login, copy.name) == ("mei (copy)", "Mei-Ling Chen (copy)")
    assert copy.partner_id != user.partner_id
    with pytest.raises(UserError, match="superuser"):
        env["res.users"].browse(1).unlink()


# ---------------------------------------------------------------------------
# passwords and authentication
# ---------------------------------------------------------------------------
def test_password_hashing():
    stored = hash_password("s3cret")
    assert stored != "s3cret" and stored.startswith("scrypt$16384$8$1$")
    assert hash_password("s3cret") != stored      # salted
    assert verify_password("s3cret", stored)
    assert not verify_password("s3cret ", stored)
    assert not verify_password("s3cret", "scrypt$16384$8$1$bad$value")
    assert not verify_password("s3cret", None)
    assert not needs_rehash(stored)
    assert needs_rehash("scrypt$1024$8$1$" + stored.split("$", 4)[4])
    assert needs_rehash("plain text")
    with pytest.raises(ValueError):
        hash_password("")


def test_user_password_is_stored_hashed(env, user_env):
    admin = env.ref("base.user_admin")
    stored = admin.password
    assert stored != ADMIN_PASSWORD and verify_password(ADMIN_PASSWORD, stored)
    admin.password = "new password"
    assert verify_password("new password", admin.password)
    # others never read the hash
    assert user_env["res.users"].browse(admin.id).read(["password"])[0]["password"] == ""
    with pytest.raises(AccessError):
        user_env["res.users"].search([("password", "!=", False)])


def test_authenticate(env):
    Users = env["res.users"]  # noqa: N806
    admin = env.ref("base.user_admin")
    assert Users.authenticate("admin", ADMIN_PASSWORD) == admin.id
    assert admin.login_date and admin._has_password()
    assert not env.ref("base.user_root")._has_password()
    messages = []
    for login, password in [("admin", "wrong"), ("nobody", ADMIN_PASSWORD), ("admin", ""),
                            ("__system__", "anything")]:
        with pytest.raises(AccessDenied) as info:
            Users.authenticate(login, password)
        messages.append(str(info.value))
    assert len(set(messages)) == 1               # the same answer for every failure
    admin.active = False
    with pytest.raises(AccessDenied) as info:
        Users.authenticate("admin", ADMIN_PASSWORD)
    assert str(info.value) == messages[0]


def test_authenticate_rehashes_old_hashes(env):
    admin = env.ref("base.user_admin")
    # a hash of the same password made with a smaller cost, as an older version did
    salt = os.urandom(16)
    digest = hashlib.scrypt(ADMIN_PASSWORD.encode(), salt=salt, n=1024, r=8, p=1, dklen=32)
    old = f"scrypt$1024$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    env.execute(admin._table_obj.update().where(admin._table_obj.c.id == admin.id)
                .values(password=old))
    admin.invalidate_recordset(["password"])
    assert needs_rehash(admin.password)
    env["res.users"].authenticate("admin", ADMIN_PASSWORD)
    assert admin.password != old and not needs_rehash(admin.password)
    assert verify_password(ADMIN_PASSWORD, admin.password)


# ---------------------------------------------------------------------------
# groups
# ---------------------------------------------------------------------------
def test_implied_groups_and_has_group(env):
    Groups = env["res.groups"]  # noqa: N806
    a = Groups.create({"name": "A"})
    b = Groups.create({"name": "B", "implied_ids": [(4, a.id)]})
    c = Groups.create({"name": "C", "implied_ids": [(4, b.id)]})
    assert c.trans_implied_ids == a | b
    assert b.trans_implied_ids == a
    user = env["res.users"].create({"name": "Ann", "login": "ann",
                                    "groups_id": [(6, 0, [c.id])]})
    assert a | b | c <= user.groups_id           # implied groups are given
    assert set(user._get_group_ids()) >= {a.id, b.id, c.id}
    d = Groups.create({"name": "D"})
    a.implied_ids = [(4, d.id)]
    assert d in c.trans_implied_ids              # the closure follows
    assert user in d.users                       # and the users too
    _xmlid(env, "group_test_d", d)
    assert user.has_group("base.group_test_d")
    assert not user.has_group("base.group_system")
    assert not user.has_group("base.no_such_group")
    assert env.ref("base.user_admin").has_group("base.group_erp_manager")  # via Settings
    with pytest.raises(ValidationError, match="imply itself"):
        d.implied_ids = [(4, c.id)]
    with pytest.raises(ValueError, match="fully qualified"):
        user.has_group("group_user")
    assert env["res.users"].with_user(user).has_group("base.group_test_d")
    # users added to a group from the group's side: implied groups and share follow
    portal_user = env["res.users"].create({
        "name": "Pat", "login": "pat", "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
    assert portal_user.share
    env.ref("base.group_user").users = [(4, portal_user.id)]
    assert not portal_user.share
    assert b.full_name == "B" and Groups.search([("full_name", "=", "B")]) == b
    b.category_id = env["ir.module.category"].create({"name": "Sales"})
    assert b.full_name == "Sales / B" and b.display_name == "Sales / B"
    assert Groups.search([("full_name", "=", "Sales / B")]) == b
    assert b not in Groups.search([("full_name", "!=", "Sales / B")])
    assert Groups.name_search("sales / b")[0][0] == b.id


# ---------------------------------------------------------------------------
# currencies
# ---------------------------------------------------------------------------
def test_currency_rounding(env):
    usd, jpy = env.ref("base.USD"), env.ref("base.JPY")
    assert usd.decimal_places == 2 and jpy.decimal_places == 0
    assert usd.round(2.675) == 2.68
    assert usd.round(-2.675) == -2.68
    assert usd.round(0.1 + 0.2) == 0.3
    assert jpy.round(1234.5) == 1235.0
    assert usd.is_zero(0.004) and not usd.is_zero(0.005)
    assert usd.compare_amounts(1.004, 1.0) == 0
    assert usd.compare_amounts(1.006, 1.0) == 1
    assert usd.compare_amounts(0.99, 1.0) == -1
    nickel = env["res.currency"].create({"name": "xnk", "symbol": "N", "rounding": 0.05})
    assert nickel.name == "XNK" and nickel.round(1.03) == 1.05 and nickel.decimal_places == 2
    with pytest.raises(ValidationError, match="unique"):
        env["res.currency"].create({"name": "USD", "symbol": "$"})


def test_currency_convert_with_dated_rates(env):
    usd, eur, jpy = env.ref("base.USD"), env.ref("base.EUR"), env.ref("base.JPY")
    company = env.ref("base.main_company")       # in USD
    other = env["res.company"].create({"name": "EU Branch", "currency_id": eur.id})
    Rate = env["res.currency.rate"]  # noqa: N806
    Rate.create([
        {"currency_id": eur.id, "rate": 0.90, "name": "2024-01-01", "company_id": False},
        {"currency_id": eur.id, "rate": 0.95, "name": "2024-06-01", "company_id": False},
        {"currency_id": jpy.id, "rate": 150.0, "name": "2024-01-01", "company_id": False},
        # the branch has its own rate for that day
        {"currency_id": eur.id, "rate": 0.80, "name": "2024-06-01", "company_id": other.id},
    ])
    day = dt.date(2024, 3, 15)
    assert usd._convert(100.0, eur, company, day) == 90.0
    assert usd._convert(100.0, eur, company, dt.date(2024, 6, 1)) == 95.0
    assert eur._convert(95.0, usd, company, dt.date(2024, 7, 1)) == 100.0
    assert eur._convert(10.0, jpy, company, day) == 1667.0      # 10 / 0.9 * 150, in yen
    assert eur._convert(10.0, jpy, company, day, round=False) == pytest.approx(1666.6667, 1e-4)
    assert usd._convert(100.0, eur, other, dt.date(2024, 6, 2)) == 80.0
    # before the first rate, the earliest one applies
    assert usd._convert(100.0, eur, company, dt.date(2023, 1, 1)) == 90.0
    assert usd._convert(0.0, eur, company, day) == 0.0
    assert usd._convert(12.345, usd, company, day) == 12.35
    assert eur.with_context(date=day).rate == pytest.approx(0.9)
    assert eur.date == dt.date(2024, 6, 1)
    with pytest.raises(ValidationError, match="one currency rate per day"):
        Rate.create({"currency_id": eur.id, "rate": 0.91, "name": "2024-01-01",
                     "company_id": False})
    with pytest.raises(ValidationError, match="positive"):
        Rate.create({"currency_id": eur.id, "rate": 0, "name": "2024-02-01"})


# ---------------------------------------------------------------------------
# sequences
# ---------------------------------------------------------------------------
def test_sequences(env):
    Sequence = env["ir.sequence"]  # noqa: N806
    year = str(dt.date.today().year)
    orders = Sequence.create({"name": "Orders", "code": "test.order",
                              "prefix": "SO%(year)s/", "padding": 5})
    invoices = Sequence.create({"name": "Invoices", "code": "test.invoice", "prefix": "INV/",
                                "suffix": "-%(y)s", "number_next": 10, "number_increment": 5})
    assert Sequence.next_by_code("test.order") == f"SO{year}/00001"
    assert Sequence.next_by_code("test.order") == f"SO{year}/00002"
    assert Sequence.next_by_code("test.invoice") == f"INV/10-{year[2:]}"
    assert invoices.next_by_id() == f"INV/15-{year[2:]}"
    assert orders.next_by_id() == f"SO{year}/00003"
    assert orders.number_next == 4 and invoices.number_next == 20
    assert orders.next_by_id(sequence_date=dt.date(2030, 5, 1)) == "SO2030/00004"
    assert Sequence.next_by_code("no.such.code") is False
    weird = Sequence.create({"name": "Literal", "code": "test.literal",
                             "prefix": "100%% %(month)s-%(day)s "})
    today = dt.date.today()
    assert weird.next_by_id() == f"100% {today:%m}-{today:%d} 1"
    with pytest.raises(ValidationError, match="unknown placeholder"):
        Sequence.create({"name": "Bad", "prefix": "%(__class__)s"})
    # a company's own sequence wins over a shared one
    Sequence.create({"name": "Shared", "code": "test.shared", "prefix": "S", "company_id": False})
    Sequence.create({"name": "Own", "code": "test.shared", "prefix": "O"})
    assert Sequence.next_by_code("test.shared") == "O1"


def test_sequence_numbers_under_concurrent_transactions(db):
    """A second transaction waits for the first one's number, then takes the next."""
    with db.env() as env:
        sequence_id = env["ir.sequence"].create({"name": "Concurrent", "code": "test.conc",
                                                 "company_id": False}).id
    try:
        results: dict = {}

        def take(name: str, started: threading.Event | None = None) -> None:
            try:
                if started:
                    started.set()
                with db.env() as env:
                    results[name] = env["ir.sequence"].next_by_code("test.conc")
            except Exception as exc:  # noqa: BLE001 - reported by the assertions below
                results[name] = exc

        with db.env() as env:
            results["first"] = env["ir.sequence"].next_by_code("test.conc")
            started = threading.Event()
            second = threading.Thread(target=take, args=("second", started))
            second.start()
            started.wait()
            time.sleep(0.3)
            assert second.is_alive()                  # waits for this transaction
        second.join(timeout=30)
        assert (results["first"], results["second"]) == ("1", "2")
    finally:
        with db.env() as env:
            env["ir.sequence"].browse(sequence_id).unlink()


# ---------------------------------------------------------------------------
# attachments and parameters
# ---------------------------------------------------------------------------
def test_attachment_in_database(env):
    content = b"Hello, Troika"
    attachment = env["ir.attachment"].create({"name": "hello.txt", "raw": content,
                                              "res_model": "res.partner", "res_id": 1})
    assert attachment.raw == content
    assert attachment.datas == base64.b64encode(content)
    assert attachment.checksum == hashlib.sha1(content).hexdigest()
    assert attachment.file_size == len(content)
    assert attachment.mimetype == "text/plain"
    assert not attachment.store_fname and attachment.db_datas == content
    other = env["ir.attachment"].create({"name": "logo", "datas": base64.b64encode(
        b"\x89PNG\r\n\x1a\n0000")})
    assert other.mimetype == "image/png" and other.raw.startswith(b"\x89PNG")
    attachment.write({"datas": base64.b64encode(b"changed")})
    assert attachment.raw == b"changed" and attachment.file_size == 7
    with pytest.raises(ValidationError, match="base64"):
        env["ir.attachment"].create({"name": "bad", "datas": "not base64!"})
    # the contents of binary fields are hidden from plain searches
    env["ir.attachment"].create({"name": "field", "raw": b"x", "res_field": "image"})
    assert env["ir.attachment"].search([("name", "=", "field")]) == env["ir.attachment"]
    assert env["ir.attachment"].search([("name", "=", "field"), ("res_field", "=", "image")])


def test_attachment_in_file_store(env, tmp_path, monkeypatch):
    monkeypatch.setenv("TROIKA_DATA_DIR", str(tmp_path))
    env["ir.config_parameter"].set_param("ir_attachment.location", "file")
    Attachment = env["ir.attachment"]  # noqa: N806
    content = b"%PDF-1.4 an offer"
    checksum = hashlib.sha1(content).hexdigest()
    first = Attachment.create({"name": "offer.pdf", "raw": content})
    second = Attachment.create({"name": "copy.pdf", "datas": base64.b64encode(content)})
    assert first.store_fname == f"{checksum[:2]}/{checksum}" == second.store_fname
    assert not first.db_datas
    path = Attachment._filestore() / first.store_fname
    assert path.parent.parent.parent == tmp_path / "filestore"
    assert path.read_bytes() == content
    assert first.raw == content and first.mimetype == "application/pdf"
    assert first.file_size == len(content) and first.checksum == checksum
    # a file stays while an attachment refers to it
    first.unlink()
    Attachment._gc_file_store()
    assert path.exists() and second.raw == content
    second.unlink()
    assert path.exists()                          # removed only by the collection
    assert Attachment._gc_file_store() == 1
    assert not path.exists()
    # replaced contents are collected too
    third = Attachment.create({"name": "v1.txt", "raw": b"version 1"})
    old_path = Attachment._filestore() / third.store_fname
    third.raw = b"version 2"
    Attachment._gc_file_store()
    assert not old_path.exists() and third.raw == b"version 2"


def test_attachment_page_content_is_plain_text_for_users(env, user_env):
    html = base64.b64encode(b"<script>alert(1)</script>")
    mine = user_env["ir.attachment"].create({"name": "page.html", "datas": html})
    assert mine.mimetype == "text/plain"
    admins = env["ir.attachment"].create({"name": "page.html", "datas": html})
    assert admins.mimetype == "text/html"


def test_config_parameters(env):
    Params = env["ir.config_parameter"]  # noqa: N806
    assert Params.get_param("test.key") is False
    assert Params.get_param("test.key", "fallback") == "fallback"
    assert Params.set_param("test.key", "one") is False
    assert Params.set_param("test.key", 2) == "one"
    assert Params.get_param("test.key") == "2"
    assert Params.set_param("test.key", False) == "2"
    assert Params.get_param("test.key") is False
    Params.set_param("test.key", "again")
    with pytest.raises(ValidationError, match="unique"):
        Params.create({"key": "test.key", "value": "twice"})


# ---------------------------------------------------------------------------
# countries, menus, views, actions, access records
# ---------------------------------------------------------------------------
def test_countries_and_states(env):
    country = env["res.country"].create({"name": "Taiwan", "code": "tw",
                                         "currency_id": env.ref("base.TWD").id})
    assert country.code == "TW"
    country.with_context(lang="zh_TW").name = "台灣"
    assert country.with_context(lang="zh_TW").name == "台灣" and country.name == "Taiwan"
    state = env["res.country.state"].create({"name": "Taipei", "code": "TPE",
                                             "country_id": country.id})
    assert state.display_name == "Taipei (TW)"
    assert env["res.country"].name_search("TW")[0][0] == country.id
    group = env["res.country.group"].create({"name": "Asia", "country_ids": [(4, country.id)]})
    assert country.country_group_ids == group
    with pytest.raises(ValidationError, match="unique"):
        env["res.country"].create({"name": "Taiwan again", "code": "TW"})


def test_menus_views_and_actions(env):
    view = env["ir.ui.view"].create({"name": "partner.form", "model": "res.partner",
                                     "arch": "<form><field name='name'/></form>"})
    assert view.type == "form" and view.mode == "primary" and view.arch_db == view.arch
    extension = env["ir.ui.view"].create({
        "name": "partner.form.x", "model": "res.partner", "inherit_id": view.id,
        "arch": "<field name='name' position='after'><field name='email'/></field>"})
    assert (extension.mode, extension.type) == ("extension", "form")
    with pytest.raises(ValidationError, match="Invalid view"):
        env["ir.ui.view"].create({"name": "broken", "model": "res.partner",
                                  "arch": "<form><field></form>"})
    with pytest.raises(ValidationError, match="recursive"):
        view.inherit_id = extension
    action = env["ir.actions.act_window"].create({"name": "Customers",
                                                  "res_model": "res.partner",
                                                  "view_id": view.id})
    assert action.type == "ir.actions.act_window" and action.context == "{}"
    assert action.views == [[False, "list"], [view.id, "form"]]
    with pytest.raises(ValidationError, match="Invalid model"):
        env["ir.actions.act_window"].create({"name": "Nothing", "res_model": "no.model"})
    root = env["ir.ui.menu"].create({"name": "Contacts"})
    menu = env["ir.ui.menu"].create({"name": "Customers", "parent_id": root.id,
                                     **env["ir.ui.menu"]._menu_action_values(action)})
    assert menu.action == f"ir.actions.act_window,{action.id}"
    assert menu.complete_name == "Contacts/Customers"
    assert menu._get_action() == action
    root.name = "Partners"
    assert menu.complete_name == "Partners/Customers"
    with pytest.raises(ValidationError, match="action"):
        menu.action = "res.partner,1"
    with pytest.raises(ValidationError, match="recursive"):
        root.parent_id = menu
    action.unlink()
    assert not menu.action


def test_access_records(env):
    model = env["ir.model"].create({"model": "res.partner", "name": "Contact"})
    group = env.ref("base.group_user")
    access = env["ir.model.access"].create({"name": "partner user", "model_id": model.id,
                                            "group_id": group.id, "perm_read": True})
    assert access.perm_read and not access.perm_write
    rule = env["ir.rule"].create({"name": "mine", "model_id": model.id,
                                  "domain_force": "[('user_id', '=', user.id)]"})
    assert rule["global"] and rule.perm_read and rule.perm_unlink
    rule.groups = [(4, group.id)]
    assert not rule["global"]
    assert env["ir.rule"].search([("global", "=", False)]) == rule
    assert rule in group.rule_groups
    with pytest.raises(ValidationError, match="at least one operation"):
        rule.write({"perm_read": False, "perm_write": False, "perm_create": False,
                    "perm_unlink": False})
    with pytest.raises(ValidationError, match="Invalid domain"):
        env["ir.rule"].create({"name": "bad", "model_id": model.id, "domain_force": "[("})
    model.unlink()                                # cascades
    assert not access.exists() and not rule.exists()


def test_attachment_backed_binary_field(addon_env):
    """fields.Binary(attachment=True) keeps its content in ir.attachment."""
    env = addon_env("base")
    partner = env["res.partner"].create({"name": "Logo holder"})
    Attachment = env["ir.attachment"].sudo()  # noqa: N806
    png = base64.b64encode(b"\x89PNG\r\n\x1a\nfake")
    partner.image_1920 = png
    stored = Attachment.search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id),
                                ("res_field", "=", "image_1920")])
    assert stored.raw == b"\x89PNG\r\n\x1a\nfake"
    partner.invalidate_recordset()
    assert partner.image_1920 == png
    assert partner.read(["image_1920"])[0]["image_1920"] == png
    partner.image_1920 = False
    assert not Attachment.search([("res_model", "=", "res.partner"),
                                  ("res_id", "=", partner.id), ("res_field", "=", "image_1920")])
    partner.image_1920 = png
    partner.unlink()
    assert not Attachment.search([("res_model", "=", "res.partner"),
                                  ("res_field", "=", "image_1920")])
