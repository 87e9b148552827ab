"""Texts of code and of models in the environment's language: ``_``/``_lt``,
``fields_get``, access and validation errors (core/i18n/translate.py)."""

from __future__ import annotations

import logging

import pytest

from core.exceptions import AccessError, UserError, ValidationError
from core.i18n import LazyText, _, _lt, field_string, model_description, translate
from tests.i18n.conftest import make_user, zh


def test_underscore_translates_into_the_environments_language(env):
    product = env["ti.product"].create({"name": "Oolong", "quantity": 0})
    with pytest.raises(UserError, match=r"^Stock of Oolong is empty\.$"):
        product.action_check_stock()
    with pytest.raises(UserError, match=r"^Oolong 的庫存已用完。$"):
        zh(env)["ti.product"].browse(product.id).action_check_stock()
    assert _(zh(env), "Contact") == "聯絡人"
    assert _(zh(env)["res.partner"], "Contact") == "聯絡人"        # a record set works too
    assert _(env, "Contact") == "Contact"
    assert _(zh(env), "Not in any catalog %s", "x") == "Not in any catalog x"
    assert _(zh(env), "%(n)s: %(m)s", n=1, m=2) == "1: 2"


def test_lazy_texts_are_the_source_until_translated(env):
    marked = _lt("Nothing in stock")
    assert isinstance(marked, LazyText) and marked == "Nothing in stock"
    product = env["ti.product"].create({"name": "Oolong", "quantity": 0})
    assert product.stock_message() == "Nothing in stock"
    assert zh(env)["ti.product"].browse(product.id).stock_message() == "沒有庫存"
    assert translate(marked, "zh_TW", ["base", "ti_shop"]) == "沒有庫存"


def test_a_translation_that_breaks_its_placeholders_falls_back_to_the_source(env, caplog):
    """ti_shop's catalog has "只剩 %(qty)s 個" for "Only %(count)s left"."""
    product = zh(env)["ti.product"].create({"name": "Oolong", "quantity": 3})
    with caplog.at_level(logging.WARNING, logger="troika.i18n"):
        assert product.stock_message() == "Only 3 left"
    assert "does not fit its arguments" in caplog.text
    with pytest.raises(KeyError):
        _(env, "Only %(count)s left", number=3)     # the source's own slip is raised


def test_fields_get_in_traditional_chinese(env):
    english = env["res.partner"].fields_get(["name", "type", "state_id", "lang", "comment"])
    assert english["type"]["string"] == "Address Type"
    assert dict(english["type"]["selection"])["invoice"] == "Invoice Address"
    chinese = zh(env)["res.partner"].fields_get(["name", "type", "state_id", "lang",
                                                 "comment", "company_type"])
    assert chinese["name"]["string"] == "名稱"
    assert chinese["type"]["string"] == "地址類型"
    assert dict(chinese["type"]["selection"]) == {
        "contact": "聯絡人", "invoice": "發票地址", "delivery": "送貨地址", "other": "其他地址"}
    assert dict(chinese["company_type"]["selection"]) == {"person": "個人", "company": "公司"}
    assert chinese["state_id"]["string"] == "州/省"         # msgctxt res.partner,state_id
    assert chinese["lang"]["help"] == "寄給此聯絡人的文件及電子郵件使用此語言。"
    assert chinese["comment"]["string"] == "備註"           # base's own catalog first
    users = zh(env)["res.users"].fields_get(["login", "password", "company_id"], ["string"])
    assert users == {"login": {"string": "帳號"}, "password": {"string": "密碼"},
                     "company_id": {"string": "公司"}}


def test_fields_get_of_the_apps_page_and_an_addon(env):
    modules = zh(env)["ir.module.module"].fields_get(["state", "shortdesc"])
    assert dict(modules["state"]["selection"])["installed"] == "已安裝"
    assert dict(modules["state"]["selection"])["uninstalled"] == "未安裝"
    assert modules["shortdesc"]["string"] == "模組名稱"
    product = zh(env)["ti.product"].fields_get(["name", "state", "notes"])
    assert product["name"]["string"] == "產品名稱"
    assert product["state"]["selection"] == [["draft", "待上架"], ["sale", "銷售中"]]
    assert product["notes"]["string"] == "筆記"             # ti_shop's own catalog
    assert product["notes"]["help"] == "內部備註"


def test_model_descriptions_and_field_labels(env):
    assert model_description(zh(env), "res.partner") == "聯絡人"
    assert model_description(zh(env), "res.company") == "公司"
    assert model_description(zh(env), env["ti.product"]) == "產品"
    assert model_description(env, "res.partner") == "Contact"
    assert field_string(zh(env), env["res.currency"]._fields["name"]) == "幣別"


def test_access_errors_in_the_users_language(env):
    english = make_user(env, "reader")
    chinese = make_user(env, "lector", lang="zh_TW")
    with pytest.raises(AccessError, match=r"^You are not allowed to create 'Access Groups' "
                                          r"\(res\.groups\) records\."):
        env(user=english.id, su=False)["res.groups"].create({"name": "X"})
    context = env(user=chinese.id, su=False)["res.users"].context_get()
    assert context["lang"] == "zh_TW"
    chinese_env = env(user=chinese.id, su=False, context=context)
    with pytest.raises(AccessError, match=r"^您沒有權限建立「存取群組」（res\.groups）記錄。"):
        chinese_env["res.groups"].create({"name": "X"})


def test_required_field_errors_in_the_users_language(env):
    with pytest.raises(ValidationError, match=r"^A value is required for field "
                                              r"'Product Name' \(ti\.product\.name\)\.$"):
        env["ti.product"].create({"price": 1.0})
    with pytest.raises(ValidationError, match=r"^欄位「產品名稱」（ti\.product\.name）必須填寫。$"):
        zh(env)["ti.product"].create({"price": 1.0})
    product = env["ti.product"].create({"name": "Tea"})
    with pytest.raises(ValidationError, match="必須填寫"):
        zh(env)["ti.product"].browse(product.id).write({"name": False})
