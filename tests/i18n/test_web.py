"""Pages in the reader's language (core/i18n/web.py): jinja2 gettext per
language, the language of a request, the login page in Traditional Chinese."""

from __future__ import annotations

import re

import jinja2
import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Request

from core.i18n.web import jinja_environment, normalize_lang, request_lang
from tests.i18n.conftest import ADDONS

LANGS = ["en_US", "zh_TW"]


def request(query: str = "", accept: str | None = None) -> Request:
    headers = {"Accept-Language": accept} if accept else {}
    return Request.from_values(query_string=query, headers=headers)


def test_codes_are_normalised():
    assert normalize_lang("zh-tw") == "zh_TW"
    assert normalize_lang("zh-hant-tw") == "zh_Hant_TW"
    assert normalize_lang("EN") == "en"
    assert normalize_lang(None) == ""


@pytest.mark.parametrize(("query", "accept", "expected"), [
    ("", None, "en_US"),
    ("lang=zh_TW", None, "zh_TW"),
    ("lang=zh-TW", "en-US", "zh_TW"),               # the query parameter first
    ("lang=fr_FR", None, "en_US"),                  # not an active language
    ("", "zh-TW,zh;q=0.9,en;q=0.8", "zh_TW"),
    ("", "zh-Hant", "zh_TW"),
    ("", "zh-HK", "zh_TW"),
    ("", "fr-FR,en-GB;q=0.5", "en_US"),             # same language, another country
    ("", "de-DE", "en_US"),
])
def test_the_language_of_a_request(query, accept, expected):
    assert request_lang(request(query, accept), LANGS) == expected


def test_a_users_language_comes_first():
    assert request_lang(request("lang=en_US", "en"), LANGS, user_lang="zh_TW") == "zh_TW"
    assert request_lang(request(), LANGS, user_lang="ja_JP") == "en_US"   # not active


def test_each_language_has_its_own_environment():
    base = jinja2.Environment(loader=jinja2.DictLoader({
        "page.html": '{{ _("Log in") }}|{{ _("%(count)s records", count=n) }}|'
                     '{{ ngettext("%(num)d apple", "%(num)d apples", n) }}|'
                     '{% trans %}Save{% endtrans %}|{{ _("Search") }}: {{ what }}'}),
        autoescape=True, extensions=["jinja2.ext.i18n"])
    base.filters["shout"] = str.upper
    chinese = jinja_environment(base, "zh-TW", ["base"])
    english = jinja_environment(base, "en_US", ["base"])
    assert chinese is jinja_environment(base, "zh_TW", ["base"])           # cached
    assert chinese.filters["shout"] is str.upper                           # like the base
    values = {"n": 3, "what": "<b>"}
    assert chinese.get_template("page.html").render(**values) == \
        "登入|3 筆記錄|3 apples|儲存|搜尋: &lt;b&gt;"
    assert english.get_template("page.html").render(**values) == \
        "Log in|3 records|3 apples|Save|Search: &lt;b&gt;"
    assert "gettext" not in base.globals or base.globals["gettext"] is not \
        chinese.globals["gettext"]


@pytest.fixture
def client(installed_db):
    from core.http.app import Application

    db = installed_db(("base", "ti_shop"), ADDONS)
    return Client(Application(db))


def test_the_login_page_speaks_the_visitors_language(client):
    english = client.get("/web/login").get_data(as_text=True)
    assert ">Log in</button>" in english and "Password" in english
    chinese = client.get("/web/login?lang=zh_TW").get_data(as_text=True)
    assert ">登入</button>" in chinese
    assert "密碼" in chinese and "帳號" in chinese and "資料庫" in chinese
    assert 'lang="zh-TW"' in chinese
    browser = client.get("/web/login", headers={"Accept-Language": "zh-TW,zh;q=0.9"})
    assert "登入" in browser.get_data(as_text=True)


def test_a_failed_login_is_told_in_chinese(client):
    page = client.get("/web/login?lang=zh_TW").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/web/login?lang=zh_TW", data={
        "csrf_token": token, "login": "admin", "password": "not the password"})
    assert answer.status_code == 401
    assert "帳號或密碼錯誤" in answer.get_data(as_text=True)
