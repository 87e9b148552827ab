"""Translated fields filled from the catalogs at install (core/i18n/records.py),
and texts of several languages written, read and searched on both backends."""

from __future__ import annotations

from core.i18n.records import load_data_translations, load_metadata_translations
from tests.i18n.conftest import zh


def names(records, lang="zh_TW"):
    return records.with_context(lang=lang).mapped("name")


def test_menus_and_actions_are_translated_at_install(env):
    root = env.ref("ti_shop.menu_shop_root")
    products = env.ref("ti_shop.menu_shop_products")
    assert names(root, "en_US") == ["Shop"]
    assert names(root) == ["商店"]
    assert names(products) == ["產品"]                 # named after its action
    assert zh(env)["ir.ui.menu"].browse(products.id).complete_name == "商店/產品"
    assert names(env.ref("ti_shop.ti_product_action")) == ["產品"]


def test_the_menus_of_base_are_translated_at_install(env):
    menus = {xmlid: env.ref(f"base.{xmlid}") for xmlid in (
        "menu_administration", "menu_users", "menu_action_res_users", "menu_contacts")}
    assert {key: names(menu)[0] for key, menu in menus.items()} == {
        "menu_administration": "設定", "menu_users": "使用者與公司",
        "menu_action_res_users": "使用者", "menu_contacts": "聯絡人"}
    users = zh(env)["ir.ui.menu"].browse(menus["menu_action_res_users"].id)
    assert users.complete_name == "設定/使用者與公司/使用者"
    assert names(menus["menu_users"], "en_US") == ["Users & Companies"]


def test_base_data_is_translated_at_install(env):
    assert names(env.ref("base.group_user")) == ["內部使用者"]
    assert names(env.ref("base.group_system")) == ["設定"]
    assert zh(env).ref("base.group_user").comment == "公司內部的人員：在後台工作。"
    assert names(env.ref("base.module_category_sales_crm")) == ["客戶關係管理"]
    assert zh(env).ref("base.USD").currency_unit_label == "元"
    assert zh(env).ref("base.USD").full_name == "美元"     # from CLDR, kept


def test_models_fields_and_apps_are_translated(env):
    IrModel = zh(env)["ir.model"]  # noqa: N806
    assert IrModel.search([("model", "=", "res.partner")]).name == "聯絡人"
    assert IrModel.search([("model", "=", "ti.product")]).name == "產品"
    fields = zh(env)["ir.model.fields"].search([("model", "=", "res.partner"),
                                                ("name", "in", ["state_id", "lang"])])
    assert dict(zip(fields.mapped("name"), fields.mapped("field_description"),
                    strict=True)) == {"state_id": "州/省", "lang": "語言"}
    shop = zh(env)["ir.module.module"].search([("name", "=", "ti_shop")])
    assert (shop.shortdesc, shop.summary) == ("商店", "翻譯測試用的產品")
    base = zh(env)["ir.module.module"].search([("name", "=", "base")])
    assert base.shortdesc == "基礎"
    assert env["ir.module.module"].search([("name", "=", "base")]).shortdesc == "Base"


def test_the_lines_of_data_records_are_translated(env):
    """The states and transitions of a workflow (one2many lines, no external id)."""
    flow = zh(env).ref("ti_shop.product_flow")
    assert flow.state_ids.mapped("string") == ["草稿", "銷售中"]
    assert flow.transition_ids.mapped("string") == ["上架"]
    english = env.ref("ti_shop.product_flow")
    assert english.transition_ids.mapped("string") == ["Put on Sale"]


def test_data_records_follow_noupdate(env):
    """product_tea is updated by every upgrade: its translation too; the
    product_cake is noupdate: a translation a user changed stays."""
    tea, cake = env.ref("ti_shop.product_tea"), env.ref("ti_shop.product_cake")
    assert names(tea) == ["綠茶"] and names(cake) == ["鳳梨酥"]
    for product in (tea, cake):
        zh(env)["ti.product"].browse(product.id).name = "我的茶點"
    assert load_data_translations(env, "ti_shop") == 1        # tea only
    assert names(tea) == ["綠茶"] and names(cake) == ["我的茶點"]
    assert load_data_translations(env, "ti_shop", overwrite=True) == 1
    assert names(cake) == ["鳳梨酥"]
    assert names(tea, "en_US") == ["Green Tea"] and names(cake, "en_US") == ["Pineapple Cake"]


def test_loading_again_changes_nothing(env):
    assert load_data_translations(env, "base") == 0
    assert load_data_translations(env, "ti_shop", langs=["zh_TW"]) == 0
    assert load_metadata_translations(env, None) == 0
    assert load_data_translations(env, "ti_shop", langs=["en_US"]) == 0   # the source


def test_a_language_without_a_catalog_gets_nothing(env):
    env["res.lang"].create({"name": "Français", "code": "fr_FR", "active": True})
    assert load_data_translations(env, "ti_shop", langs=["fr_FR"]) == 0
    assert names(env.ref("ti_shop.menu_shop_root"), "fr_FR") == ["Shop"]   # English


def test_chinese_text_is_searchable(env):
    Partner = env["res.partner"]  # noqa: N806
    partner = Partner.create({"name": "台北貿易股份有限公司", "city": "臺北市"})
    Partner.create({"name": "高雄港務公司"})
    assert Partner.search([("name", "ilike", "貿易")]) == partner
    assert Partner.search([("name", "like", "股份有限")]) == partner
    assert Partner.search([("name", "=ilike", "台北%")]) == partner
    assert Partner.search([("city", "ilike", "臺北")]) == partner
    assert Partner.search([("name", "not ilike", "公司")]).filtered(
        lambda p: p.name in ("台北貿易股份有限公司", "高雄港務公司")) == Partner
    assert Partner.name_search("貿易") == [(partner.id, "台北貿易股份有限公司")]


def test_translated_values_are_written_and_read_per_language(env):
    Tag = env["res.partner.category"]  # noqa: N806
    tag = Tag.create({"name": "Wholesale"})
    zh(env)["res.partner.category"].browse(tag.id).write({"name": "批發"})
    assert tag.with_context(lang="en_US").name == "Wholesale"
    assert tag.with_context(lang="zh_TW").name == "批發"
    env.invalidate_all()
    assert Tag.browse(tag.id).with_context(lang="zh_TW").name == "批發"
    assert Tag.browse(tag.id).name == "Wholesale"
    assert Tag.with_context(lang="zh_TW").search([("name", "ilike", "批")]) == tag
    assert Tag.search([("name", "ilike", "批")]) == Tag.browse()          # English: no
    assert Tag.search([("name", "ilike", "whole")]) == tag
    # a language without its own text shows the English one, and finds by it
    assert tag.with_context(lang="fr_FR").name == "Wholesale"
    created_in_chinese = zh(env)["res.partner.category"].create({"name": "出口"})
    assert created_in_chinese.with_context(lang="en_US").name == "出口"
    assert zh(env)["res.partner.category"].search([("name", "=", "出口")]) == \
        created_in_chinese
