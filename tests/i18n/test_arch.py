"""View architectures in the reader's language (core/i18n/arch.py, run by
core.views through ARCH_POSTPROCESSORS)."""

from __future__ import annotations

from lxml import etree

from core.i18n.arch import apply, terms, translate_arch
from core.views import ARCH_POSTPROCESSORS, get_view
from tests.i18n.conftest import make_user, zh

KANBAN = """<kanban><templates><t t-name="card"><div>
  <span>Tags: </span><field name="tag_ids"/> and more <b>bold</b> -
  <pre>code here</pre> tail text <script>var x = "text";</script>
  <t t-esc="record.name.value"/>
</div></t></templates></kanban>"""


def test_terms_are_attributes_and_plain_text():
    arch = etree.fromstring(KANBAN)
    assert [text for text, _line in terms(arch)] == ["Tags:", "and more", "bold",
                                                      "tail text"]
    form = etree.fromstring('<form string="Partner"><group string="Address" help="Where">'
                            '<field name="street" placeholder="Street..."/>'
                            '<label for="x" string="Name"/><separator string="Misc"/>'
                            '<button name="a" string="Go" confirm="Sure?" title="Tip"/>'
                            '<field name="amount" sum="Total" avg="Mean"/>'
                            '<div>42</div><div> : </div></group></form>')
    assert [text for text, _line in terms(form)] == [
        "Partner", "Address", "Where", "Street...", "Name", "Misc", "Go", "Tip", "Sure?",
        "Total", "Mean"]


def test_apply_keeps_the_whitespace_around_a_text():
    arch = etree.fromstring(KANBAN)
    apply(arch, lambda text: f"<{text}>")
    html = etree.tostring(arch, encoding="unicode")
    assert "<span>&lt;Tags:&gt; </span>" in html
    assert " &lt;and more&gt; <b>&lt;bold&gt;</b> -" in html
    assert "<pre>code here</pre> &lt;tail text&gt; " in html
    assert 'var x = "text";' in html


def test_the_translator_is_one_of_the_postprocessors():
    assert translate_arch in ARCH_POSTPROCESSORS


def test_views_in_traditional_chinese(env):
    english = get_view(env, "ti.product", "form").arch_string()
    assert 'string="Check Stock"' in english and "Sold by weight:" in english
    view = get_view(zh(env), "ti.product", "form")
    form = view.arch
    assert form.get("string") == "產品"
    button = form.find(".//button[@name='action_check_stock']")
    assert (button.get("string"), button.get("confirm")) == ("檢查庫存", "確定要檢查嗎？")
    assert form.find(".//field[@name='name']").get("placeholder") == "例如：茶"
    assert form.find(".//group").get("string") == "定價"
    assert form.find(".//field[@name='quantity']").get("help") == "店內數量"
    assert form.find(".//div").text == "秤重販售： "      # the space stays
    assert view.fields["name"]["string"] == "產品名稱"          # fields_get, same language
    listing = get_view(zh(env), "ti.product", "list").arch
    assert listing.find(".//field[@name='price']").get("sum") == "總價"


def test_views_follow_the_users_language(env):
    user = make_user(env, "viewer", lang="zh_TW")
    user_env = env(user=user.id, su=False)
    context = user_env["res.users"].context_get()
    arch = get_view(user_env(context=context), "ti.product", "form").arch
    assert arch.get("string") == "產品"
    assert get_view(env, "ti.product", "form").arch.get("string") == "Product"   # cached
    data = zh(env)["ti.product"].get_views([[False, "form"]])
    assert 'string="定價"' in data["views"]["form"]["arch"]
    assert data["models"]["ti.product"]["state"]["selection"][0] == ["draft", "待上架"]
