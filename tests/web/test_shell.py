"""The app shell: login redirect, menus filtered by groups, home, preferences, logout."""

from __future__ import annotations

import re

from tests.web.conftest import text, xmlid


def app_names(html: str) -> list[str]:
    return re.findall(r'class="o-app-link[^"]*"\s+href="[^"]*">([^<]+)</a>', html)


def test_pages_need_a_login(web):
    client = web.client(None)
    response = client.get("/web/action/1?view_type=list")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/web/login?redirect=/web/action/1")
    assert client.get("/web").headers["Location"].startswith("/web/login")


def test_menus_are_filtered_by_groups(web):
    admin = text(web.client("admin").get("/web"))
    demo = text(web.client("demo").get("/web"))
    manager = text(web.client("manager").get("/web"))
    # base's Contacts (sequence 4) and Settings (administrators, 500) around the shop's
    assert app_names(admin) == ["Contacts", "Shop", "Customers", "Secrets", "Settings"]
    assert app_names(demo) == ["Contacts", "Shop", "Customers"]
    assert app_names(manager) == ["Contacts", "Shop", "Customers", "Managers"]
    # the home page keeps the installed modules
    assert "Installed modules" in demo and "Web client test: a small shop" in demo


def test_submenus_of_the_current_app(web):
    shop = xmlid(web, "tweb_shop.menu_shop")
    action = xmlid(web, "tweb_shop.tweb_order_action")
    html = text(web.client("demo").get(f"/web/action/{action}?menu={shop}"))
    submenu = html[html.index('class="o-submenu"'):html.index("</nav>", html.index(
        'class="o-submenu"'))]
    assert "<summary>Orders</summary>" in submenu
    assert "Urgent orders" in submenu and "Notes" in submenu and "Bare records" in submenu
    assert "Nothing here" not in submenu        # a menu opening nothing is not shown


def test_an_app_opens_its_first_action(web):
    shop = xmlid(web, "tweb_shop.menu_shop")
    action = xmlid(web, "tweb_shop.tweb_order_action")
    response = web.client("demo").get(f"/web/menu/{shop}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/web/action/{action}?menu={shop}"
    secret = xmlid(web, "tweb_shop.menu_secret")
    assert web.client("demo").get(f"/web/menu/{secret}").status_code == 404


def test_preferences_write_the_users_language_and_timezone(web):
    client = web.client("demo")
    page = text(client.get("/web/preferences"))
    assert "English" in page and "Asia/Taipei" in page
    refused = client.post("/web/preferences", {"lang": "xx_XX", "tz": ""})
    assert refused.status_code == 200 and "Choose a language" in text(refused)
    response = client.post("/web/preferences", {"lang": "zh_TW", "tz": "Asia/Taipei"})
    assert response.status_code == 302
    with web.env() as env:
        demo = env["res.users"].search([("login", "=", "demo")])
        assert (demo.lang, demo.tz) == ("zh_TW", "Asia/Taipei")
    assert '<html lang="zh-TW">' in text(client.get("/web"))
    # messages from Python are shown in the user's language too
    refused = text(client.post("/web/preferences", {"lang": "xx_XX", "tz": ""}))
    assert "Choose a language" not in refused and "o-alert-danger" in refused
    client.post("/web/preferences", {"lang": "en_US", "tz": ""})


def test_logout_needs_the_token(web):
    client = web.client("demo")
    assert client.post("/web/session/logout", csrf=False).status_code == 403
    assert client.get("/web").status_code == 200
    assert client.post("/web/session/logout").status_code == 302
    assert client.get("/web").status_code == 302


def test_static_files(web):
    client = web.client(None)
    for name, mimetype in (("web.css", "text/css"), ("web.js", "text/javascript")):
        response = client.get(f"/web/static/{name}")
        try:
            assert response.status_code == 200 and response.mimetype == mimetype
            assert response.get_data()
        finally:
            response.close()
    assert client.get("/web/static/../app.py").status_code == 404


def test_menus_follow_changes(web):
    client = web.client("demo")
    assert "Late app" not in app_names(text(client.get("/web")))
    with web.env() as env:
        action = env.ref("tweb_shop.tweb_note_action")
        menu = env["ir.ui.menu"].create({"name": "Late app", "sequence": 99,
                                         "action": f"ir.actions.act_window,{action.id}"})
    assert app_names(text(client.get("/web")))[-1] == "Late app"
    with web.env() as env:
        env["ir.ui.menu"].browse(menu.id).write({
            "groups_id": [(6, 0, [env.ref("base.group_system").id])]})
    assert "Late app" not in app_names(text(client.get("/web")))
    with web.env() as env:
        env["ir.ui.menu"].browse(menu.id).unlink()
