"""Who sees which deals: own documents, all documents, team leaders, companies."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError


@pytest.fixture
def deals(env, users, teams):
    Lead = env["crm.lead"]  # noqa: N806
    return {
        "mine": Lead.create({"name": "Mine", "user_id": users.sales2.id,
                             "team_id": teams.europe.id}),
        "unassigned": Lead.create({"name": "Nobody's", "user_id": False}),
        "shared": Lead.create({"name": "Shared", "user_id": users.sales3.id,
                               "team_id": teams.americas.id,
                               "collaborator_ids": [(6, 0, [users.sales2.id])]}),
        "other": Lead.create({"name": "Other", "user_id": users.sales3.id,
                              "team_id": teams.americas.id}),
        "europe": Lead.create({"name": "Team mate's", "user_id": users.manager.id,
                               "team_id": teams.europe.id}),
    }


def _visible(env, user, deals):
    found = env["crm.lead"].with_user(user).search([("id", "in", [d.id for d in deals.values()])])
    return {name for name, deal in deals.items() if deal in found}


def test_a_salesperson_sees_own_unassigned_and_shared_deals(env, users, deals):
    assert _visible(env, users.sales2, deals) == {"mine", "unassigned", "shared"}


def test_a_team_leader_sees_the_teams_deals(env, users, deals):
    assert _visible(env, users.sales1, deals) == {"mine", "unassigned", "europe"}


def test_all_documents_and_managers_see_every_deal(env, users, deals):
    assert _visible(env, users.all_docs, deals) == set(deals)
    assert _visible(env, users.manager, deals) == set(deals)


def test_hidden_deals_cannot_be_read_or_changed(env, users, deals):
    other = deals["other"].with_user(users.sales2)
    with pytest.raises(AccessError):
        other.read(["name"])
    with pytest.raises(AccessError):
        other.write({"name": "Taken"})
    with pytest.raises(AccessError):
        env["crm.lead"].with_user(users.sales2).create({"name": "For a colleague",
                                                        "user_id": users.sales3.id})


def test_users_outside_sales_have_no_access_to_deals(env, users, deals):
    with pytest.raises(AccessError):
        env["crm.lead"].with_user(users.employee).search([])


def test_reports_and_movement_follow_the_rules(env, users, deals):
    rows = env["crm.pipeline.report"].with_user(users.sales2).forecast("user_id")
    assert sum(r["count"] for r in rows) == 3
    history = env["crm.lead.stage.history"].with_user(users.sales2).search([])
    assert set(history.mapped("lead_id.name")) == {"Mine", "Nobody's", "Shared"}


def test_deals_of_another_company_are_hidden(env, users):
    other = env["res.company"].create({"name": "Subsidiary"})
    hidden = env["crm.lead"].create({"name": "Elsewhere", "company_id": other.id,
                                     "user_id": False})
    assert not env["crm.lead"].with_user(users.all_docs).search([("id", "=", hidden.id)])


def test_only_managers_configure_stages(env, users):
    with pytest.raises(AccessError):
        env["crm.stage"].with_user(users.sales1).create({"name": "Mine"})
    env["crm.stage"].with_user(users.manager).create({"name": "Samples"})
    assert env["crm.stage"].with_user(users.sales1).search_count([("name", "=", "Samples")])


@pytest.mark.parametrize("names", [["name", "is_automated_probability"], ["rotting_days"],
                                   ["name", "duplicate_lead_count", "probability"], None])
def test_reading_computed_fields_does_not_open_a_hidden_deal(env, users, deals, names):
    """Computed fields are computed as superuser and load the deal's columns on the
    way: read() applies the rules before computing them (a kernel guarantee)."""
    other = deals["other"].with_user(users.sales2)
    env.invalidate_all()
    with pytest.raises(AccessError):
        other.read(names)
    with pytest.raises(AccessError):
        (deals["mine"] | deals["other"]).with_user(users.sales2).read(names)
    assert deals["mine"].with_user(users.sales2).read(names or ["name"])[0]["id"]
