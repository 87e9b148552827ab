"""The data of ``base``: its XML/CSV files and the CLDR loaders, on real models.

The files are loaded with the module system's ``DataLoader`` into a
registry of base's models, in the order of the manifest (or, while the
manifest lists none, the order these files need); then the post-install
hook loads currencies and countries from babel.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from addons.base.data_loaders import (
    ACTIVE_CURRENCIES,
    country_codes,
    init_config_parameters,
    load_countries,
    load_currencies,
    post_init_hook,
)
from core.modules.data import DataLoader
from core.modules.reflection import reflect_models
from core.orm.database import Database
from core.orm.environment import SUPERUSER_ID, Environment, Transaction
from core.orm.registry import Registry
from tests.addons_base.base_models import BASE_MODELS

BASE = Path(__file__).resolve().parents[2] / "addons" / "base"
def data_files() -> list[str]:
    manifest = ast.literal_eval((BASE / "__manifest__.py").read_text(encoding="utf-8"))
    return manifest["data"]


@pytest.fixture(scope="module")
def db(db_url) -> Iterator[Database]:
    """Base's models, declared by the module ``base`` (external ids base.model_*)."""
    registry = Registry()
    for cls in BASE_MODELS:
        registry.add(cls, module="base")
    registry.setup()
    database = Database(db_url, registry)
    database.sync_schema()
    yield database
    database.close()


@pytest.fixture(scope="module", autouse=True)
def installed(db):
    with db.engine.connect() as connection:
        with connection.begin():
            # before base.user_root exists, records are created by nobody
            env = Environment(Transaction(db.registry, connection), None, {}, True)
            reflect_models(env, db.registry)
            loader = DataLoader(env, "base", mode="init", module_path=BASE)
            for relative in data_files():
                loader.load_file(BASE / relative)
            post_init_hook(env(user=SUPERUSER_ID))
            env.transaction.flush()


def test_users_and_companies(env):
    root = env.ref("base.user_root")
    assert root.id == 1 and env.user == root
    assert (root.login, root.active, root.password) == ("__system__", False, False)
    company = env.ref("base.main_company")
    assert company.id == 1 and env.company == company
    assert company.partner_id == env.ref("base.main_partner")
    assert company.currency_id == env.ref("base.USD")
    admin = env.ref("base.user_admin")
    assert admin.partner_id == env.ref("base.partner_admin") and admin.name == "Administrator"
    for xmlid in ("base.group_user", "base.group_system", "base.group_erp_manager",
                  "base.group_partner_manager"):
        assert admin.has_group(xmlid), xmlid
    assert not admin.has_group("base.group_portal") and not admin.share
    assert env.ref("base.group_erp_manager") in env.ref("base.group_system").trans_implied_ids
    assert env.ref("base.group_user").category_id == env.ref("base.module_category_user_type")
    assert sorted(code for code, _name in env["res.lang"].get_installed()) == ["en_US", "zh_TW"]


def test_access_rights_and_rules(env):
    Access = env["ir.model.access"]  # noqa: N806
    partner_model = env.ref("base.model_res_partner")
    lines = Access.search([("model_id", "=", partner_model.id)])
    assert {(line.group_id, line.perm_read, line.perm_write) for line in lines} >= {
        (env.ref("base.group_user"), True, False),
        (env.ref("base.group_system"), True, True)}
    everybody = Access.search([("group_id", "=", False)])
    assert "res.users" in everybody.mapped("model_id.model")
    system = env.ref("base.group_system")
    covered = set(Access.search([("group_id", "=", system.id), ("perm_unlink", "=", True)])
                  .mapped("model_id.model"))
    assert covered >= set(env.registry.models)       # group_system: all of base
    rule = env.ref("base.res_partner_rule")
    assert rule["global"] and "company_ids" in rule.domain_force


def test_reloading_the_data_duplicates_nothing(env):
    counts = {model: env[model].with_context(active_test=False).search_count([])
              for model in ("res.users", "res.partner", "res.groups", "ir.model.access",
                            "ir.rule", "res.company", "ir.module.category")}
    env.ref("base.group_user").name = "Employees"
    loader = DataLoader(env, "base", mode="update", module_path=BASE)
    for relative in data_files():
        loader.load_file(BASE / relative)
    assert counts == {model: env[model].with_context(active_test=False).search_count([])
                      for model in counts}
    assert env.ref("base.group_user").name == "Internal User"


def test_currencies_from_cldr(env):
    Currency = env["res.currency"].with_context(active_test=False)  # noqa: N806
    everything = Currency.search([])
    assert len(everything) > 150
    active = set(env["res.currency"].search([]).mapped("name"))
    assert active == set(ACTIVE_CURRENCIES)
    twd = env.ref("base.TWD")
    assert (twd.name, twd.symbol, twd.rounding, twd.decimal_places) == ("TWD", "NT$", 0.01, 2)
    assert twd.full_name == "New Taiwan Dollar"
    assert twd.with_context(lang="zh_TW").full_name == "新台幣"
    jpy = env.ref("base.JPY")
    assert (jpy.rounding, jpy.decimal_places, jpy.symbol) == (1.0, 0, "¥")
    assert env.ref("base.EUR").with_context(lang="zh_TW").full_name == "歐元"
    # USD came from the data file, then got its translation
    assert env.ref("base.USD").with_context(lang="zh_TW").full_name == "美元"


def test_countries_from_cldr(env):
    Country = env["res.country"]  # noqa: N806
    assert Country.search_count([]) == len(country_codes()) >= 245
    taiwan = env.ref("base.tw")
    assert (taiwan.code, taiwan.name) == ("TW", "Taiwan")
    assert taiwan.with_context(lang="zh_TW").name == "台灣"
    assert taiwan.currency_id == env.ref("base.TWD")
    germany = env.ref("base.de")
    assert germany.currency_id == env.ref("base.EUR")
    assert germany.with_context(lang="zh_TW").name == "德國"
    assert not Country.search([("code", "in", ["EU", "ZZ", "UN", "QO", "XA", "EZ"])])
    assert Country.with_context(lang="zh_TW").search([("name", "=", "日本")]).code == "JP"


def test_loaders_are_idempotent(env):
    def snapshot() -> tuple:
        currencies = env["res.currency"].with_context(active_test=False).search([])
        countries = env["res.country"].search([])
        data = env["ir.model.data"].search_count([("model", "in", ["res.currency",
                                                                    "res.country"])])
        return len(currencies), len(countries), data

    before = snapshot()
    twd, taiwan = env.ref("base.TWD"), env.ref("base.tw")
    # an administrator's changes: a translation broken, a currency switched on,
    # a country's external id lost (the record is found again by its code)
    twd.with_context(lang="zh_TW").full_name = "Wrong"
    chf = env.ref("base.CHF")
    chf.active = True
    env["ir.model.data"].search([("module", "=", "base"), ("name", "=", "tw")]).unlink()
    load_currencies(env)
    load_countries(env)
    assert snapshot() == before
    assert twd.with_context(lang="zh_TW").full_name == "新台幣"
    assert chf.active                                  # settings are kept
    assert env.ref("base.tw") == taiwan
    # a deleted country comes back
    code_before = env.ref("base.fr").code
    env.ref("base.fr").unlink()
    load_countries(env)
    assert env.ref("base.fr").code == code_before and snapshot() == before


def test_config_parameters_initialised_once(env):
    Params = env["ir.config_parameter"]  # noqa: N806
    secret = Params.get_param("database.secret")
    assert secret and len(secret) == 64 and Params.get_param("database.uuid")
    init_config_parameters(env)
    assert Params.get_param("database.secret") == secret
