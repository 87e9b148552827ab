"""The knowledge base: versions kept on every edit, their differences, restoring;
search in Chinese and English with title matches first; internal articles
hidden from the public user; canned answers in the reply composer."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import sqlalchemy as sa

from core.exceptions import AccessError

RETURNS_ZH = ("<p>收到貨物後 30 天內，可申請<b>退貨</b>或換貨。</p>"
              "<p>請附上訂單號碼與照片。</p>")


@pytest.fixture
def kb(desk):
    env = desk.env
    Category = env["knowledge.category"]  # noqa: N806
    shipping = Category.create({"name": "Shipping"})
    returns = Category.create({"name": "Returns", "parent_id": shipping.id})
    Article = env["knowledge.article"]  # noqa: N806
    articles = {
        "policy_zh": Article.create({"name": "退貨與換貨政策", "lang": "zh_TW",
                                     "visibility": "public", "category_id": returns.id,
                                     "body": RETURNS_ZH}),
        "process_zh": Article.create({"name": "報關文件說明", "lang": "zh_TW",
                                      "visibility": "public",
                                      "body": "<p>出口報關後如需退貨，請先聯絡業務。</p>"}),
        "damaged_en": Article.create({"name": "Damaged goods on arrival", "lang": "en_US",
                                      "visibility": "public", "category_id": returns.id,
                                      "body": "<p>Photograph the pallet before you sign "
                                              "the delivery note.</p>"}),
        "claims_en": Article.create({"name": "Freight claims", "lang": "en_US",
                                     "visibility": "internal",
                                     "body": "<p>For damaged goods, file the claim with "
                                             "the forwarder within 7 days. Margin note: "
                                             "never refund freight.</p>"}),
    }
    return env, returns, articles


def test_every_edit_is_a_version(kb, desk):
    env, _returns, articles = kb
    article = articles["damaged_en"].with_user(desk.users.agent1)
    assert [v.number for v in article.version_ids] == [1]
    article.write({"body": "<p>Photograph the pallet and the labels before you sign.</p>"})
    article.write({"name": "Damaged goods: what to do"})
    article.write({"sequence": 5})                       # not the content: no version
    versions = article.version_ids
    assert [v.number for v in versions] == [3, 2, 1]     # newest first
    assert article.current_version == 3
    assert versions[0].name == "Damaged goods: what to do"
    assert versions[1].author_id == desk.users.agent1
    assert "labels" in versions[1].body and "labels" not in versions[2].body


def test_diff_between_versions_is_sanitised_html(kb, desk):
    env, _returns, articles = kb
    article = articles["policy_zh"]
    article.write({"body": RETURNS_ZH.replace("30 天", "45 天")
                   + "<p>瑕疵品<script>alert(1)</script>免運費。</p>"})
    v1, v2 = article.version_ids.sorted("number")
    diff = v2.diff_html
    assert "<table" in diff and "diff_chg" in diff and "diff_add" in diff
    assert "45" in diff and "30" in diff and "瑕疵品" in diff
    assert "<script" not in diff and "alert(1)" not in diff
    assert v1.diff_with(v2)                             # any direction
    assert v2.diff_with(v2) == ""                       # nothing changed
    other = articles["damaged_en"].version_ids
    with pytest.raises(Exception, match="one article"):
        v2.diff_with(other)


def test_restore_makes_a_new_version(kb, desk):
    env, _returns, articles = kb
    article = articles["damaged_en"]
    original = article.body
    article.write({"body": "<p>Wrong advice.</p>", "name": "Oops"})
    v1 = article.version_ids.sorted("number")[0]
    v1.with_user(desk.users.agent2).action_restore()
    assert (article.name, article.body) == ("Damaged goods on arrival", original)
    latest = article.version_ids[0]
    assert latest.number == 3 and latest.note == "Restored from version 1"
    assert latest.author_id == desk.users.agent2
    assert latest.is_current and not v1.is_current


def test_versions_cannot_be_rewritten(kb, desk):
    env, _returns, articles = kb
    version = articles["damaged_en"].version_ids.with_user(desk.users.manager)
    with pytest.raises(AccessError):
        version.write({"body": "<p>history rewritten</p>"})
    with pytest.raises(AccessError):
        version.unlink()


def test_search_finds_chinese_substrings(kb, desk):
    env, _returns, articles = kb
    Article = env["knowledge.article"].with_user(desk.users.agent1)  # noqa: N806
    found = Article.search_articles("退貨")
    # the title match first, then the article that mentions it in its text
    assert list(found) == [articles["policy_zh"], articles["process_zh"]]
    assert list(Article.search_articles("訂單號碼")) == [articles["policy_zh"]]
    assert not Article.search_articles("保固")


def test_search_in_english_matches_every_word_and_ranks_titles(kb, desk):
    env, _returns, articles = kb
    Article = env["knowledge.article"].with_user(desk.users.agent1)  # noqa: N806
    found = Article.search_articles("damaged goods")
    assert list(found) == [articles["damaged_en"], articles["claims_en"]]
    assert list(Article.search_articles("DAMAGED forwarder")) == [articles["claims_en"]]
    assert list(Article.search_articles("pallet")) == [articles["damaged_en"]]
    # the search view's field and name_search use the same words
    assert [a for a, _n in Article.name_search("退貨")] == [articles["policy_zh"].id,
                                                          articles["process_zh"].id]
    assert articles["policy_zh"] in Article.search([("body_text", "ilike", "換貨")])


def test_public_user_reads_public_articles_only(kb, desk):
    env, returns, articles = kb
    public = env.ref("crm_helpdesk.public_user")
    Article = env["knowledge.article"].with_user(public)  # noqa: N806
    assert articles["claims_en"] not in Article.search([])
    assert articles["claims_en"] not in Article.search_articles("damaged")
    assert list(Article.search_articles("damaged")) == [articles["damaged_en"]]
    with pytest.raises(AccessError):
        articles["claims_en"].with_user(public).read(["body"])
    with pytest.raises(AccessError):
        articles["damaged_en"].with_user(public).write({"name": "Defaced"})
    with pytest.raises(AccessError):
        env["knowledge.article.version"].with_user(public).search([])
    assert returns.with_user(public).complete_name == "Shipping / Returns"


def test_employees_read_but_only_agents_write(kb, desk):
    env, _returns, articles = kb
    employee = env["knowledge.article"].with_user(desk.users.employee)
    assert articles["claims_en"] in employee.search([])
    with pytest.raises(AccessError):
        articles["claims_en"].with_user(desk.users.employee).write({"name": "x"})
    assert not employee.check_access_rights("create", raise_exception=False)
    portal = env["knowledge.article"].with_user(desk.users.portal)
    assert articles["claims_en"] not in portal.search([])


def test_canned_answer_from_an_article(kb, desk, clock):
    env, _returns, articles = kb
    env["ir.config_parameter"].set_param("web.base.url", "https://support.example")
    ticket = desk.ticket("退貨申請")
    agent = ticket.user_id
    action = ticket.with_user(agent).action_reply()
    reply = env["helpdesk.ticket.reply"].with_user(agent).browse(action["res_id"])
    result = reply.onchange({"article_id": articles["policy_zh"].id,
                             "ticket_id": ticket.id, "body": "<p>您好，</p>"}, ["article_id"])
    body = result["value"]["body"]
    assert body.startswith("<p>您好，</p>") and "30 天內" in body
    assert f"https://support.example/kb/{quote(articles['policy_zh'].slug())}" in body
    reply.write({"article_id": articles["policy_zh"].id, "body": body})
    back = reply.action_send()
    assert back["res_id"] == ticket.id
    message = env["mail.message"].search([("model", "=", "helpdesk.ticket"),
                                          ("res_id", "=", ticket.id),
                                          ("message_type", "=", "comment")], limit=1)
    assert "30 天內" in message.body and message.author_id == agent.partner_id
    assert ticket.first_response_date                 # an answer to the customer
    assert articles["policy_zh"].use_count == 1


def test_slugs_keep_chinese_and_find_the_article(kb):
    env, _returns, articles = kb
    article = articles["policy_zh"]
    assert article.slug() == f"{article.id}-退貨與換貨政策"
    assert article.website_url == f"/kb/{article.slug()}"
    assert not articles["claims_en"].website_url           # internal: no public page
    assert env["knowledge.article"]._id_from_slug(f"{article.id}-anything") == article.id


def test_trigram_indexes_on_postgresql(env):
    if env.transaction.connection.dialect.name != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's (SQLite scans)")
    rows = env.execute(sa.text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'knowledge_article'"
    )).all()
    definitions = {name: definition for name, definition in rows}
    assert "gin_trgm_ops" in definitions["knowledge_article_body_text_trgm_idx"]
    assert "gin_trgm_ops" in definitions["knowledge_article_name_trgm_idx"]
