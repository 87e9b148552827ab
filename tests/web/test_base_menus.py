"""Base's own menus, actions and views: every action of base opens in each of
its view types and on a record's form, for an administrator; a plain user sees
Contacts but not Settings."""

from __future__ import annotations

import pytest

from tests.web.conftest import text


def _base_actions(web) -> list[tuple[int, str, list[str]]]:
    with web.env() as env:
        data = env["ir.model.data"].search([("module", "=", "base"),
                                            ("model", "=", "ir.actions.act_window")])
        actions = env["ir.actions.act_window"].browse(data.mapped("res_id"))
        return [(a.id, a.res_model, [m.strip() for m in a.view_mode.split(",")])
                for a in actions]


def test_every_base_action_opens_in_every_view_type(web):
    client = web.client("admin")
    actions = _base_actions(web)
    assert len(actions) >= 20
    for action_id, model, modes in actions:
        for mode in modes:
            if mode == "form":
                continue
            response = client.get(f"/web/action/{action_id}?view_type={mode}")
            assert response.status_code == 200, (model, mode, text(response)[:300])
        if "form" in modes:
            with web.env() as env:
                record = env[model].with_context(active_test=False).search([], limit=1)
            target = record.id if record else "new"
            response = client.get(f"/web/action/{action_id}/{target}")
            assert response.status_code == 200, (model, "form", text(response)[:300])


def test_partner_form_shows_base_view(web):
    client = web.client("admin")
    with web.env() as env:
        action = env.ref("base.action_partner_form").id
        company = env.ref("base.main_partner").id
    page = text(client.get(f"/web/action/{action}/{company}"))
    for label in ("Contacts &amp; Addresses", "Sales &amp; Purchase", "Tax ID"):
        assert label in page


@pytest.mark.parametrize("login, sees_settings", [("admin", True), ("demo", False)])
def test_settings_only_for_administrators(web, login, sees_settings):
    page = text(web.client(login).get("/web"))
    assert "Contacts" in page
    assert ("Settings" in page) is sees_settings
