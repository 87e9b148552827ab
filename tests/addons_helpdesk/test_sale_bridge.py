"""crm_helpdesk_sale, installed by itself with Helpdesk and Sales: complaints linked
to customers, orders and products."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.exceptions import ValidationError
from tests.addons_helpdesk.conftest import make_user


@pytest.fixture
def shop(addon_env):
    env = addon_env("crm_helpdesk", "sale")
    Partner = env["res.partner"]  # noqa: N806
    mueller = Partner.create({"name": "Müller Lichttechnik GmbH", "is_company": True})
    anna = Partner.create({"name": "Anna", "parent_id": mueller.id})
    other = Partner.create({"name": "Gulf Lighting", "is_company": True})
    panel = env["product.product"].create({"name": "LED Panel 60x60", "list_price": 45.0})
    tube = env["product.product"].create({"name": "LED Tube T8", "list_price": 4.0})
    order = env["sale.order"].create({"partner_id": mueller.id, "order_line": [
        (0, 0, {"product_id": panel.id, "product_uom_qty": 600})]})
    team = env["helpdesk.team"].create({"name": "After-sales"})
    agent = make_user(env, "bridge_agent", "crm_helpdesk.group_helpdesk_user")
    team.member_ids = [(4, agent.id)]
    return SimpleNamespace(env=env, mueller=mueller, anna=anna, other=other, panel=panel,
                           tube=tube, order=order, team=team, agent=agent,
                           complaint=env.ref("crm_helpdesk.type_complaint"))


def test_the_bridge_installs_by_itself(shop):
    module = shop.env["ir.module.module"].search([("name", "=", "crm_helpdesk_sale")])
    assert module.state == "installed"


def test_complaint_linked_to_customer_order_and_product(shop):
    ticket = shop.env["helpdesk.ticket"].with_user(shop.agent).create({
        "name": "Cracked diffusers", "team_id": shop.team.id, "sale_order_id": shop.order.id,
        "product_id": shop.panel.id, "ticket_type_id": shop.complaint.id})
    assert ticket.partner_id == shop.mueller                  # from the order
    assert ticket.is_complaint and ticket.commercial_partner_id == shop.mueller
    assert (shop.order.ticket_count, shop.order.complaint_count) == (1, 1)
    assert shop.mueller.complaint_count == 1 and shop.anna.ticket_count == 1
    groups = shop.env["helpdesk.ticket"].read_group(
        [("is_complaint", "=", True)], ["product_id"], ["product_id"])
    assert [(g["product_id"][1], g["product_id_count"]) for g in groups] == [
        ("LED Panel 60x60", 1)]
    action = shop.order.action_view_tickets()
    assert shop.env["helpdesk.ticket"].search(action["domain"]) == ticket


def test_order_and_product_must_fit_the_customer(shop):
    Ticket = shop.env["helpdesk.ticket"]  # noqa: N806
    with pytest.raises(ValidationError, match="another customer"):
        Ticket.create({"name": "Wrong", "team_id": shop.team.id, "partner_id": shop.other.id,
                       "sale_order_id": shop.order.id})
    with pytest.raises(ValidationError, match="is not on order"):
        Ticket.create({"name": "Wrong", "team_id": shop.team.id, "partner_id": shop.anna.id,
                       "sale_order_id": shop.order.id, "product_id": shop.tube.id})
    contact = Ticket.create({"name": "Right", "team_id": shop.team.id,
                             "partner_id": shop.anna.id, "sale_order_id": shop.order.id})
    assert contact.sale_order_id == shop.order


def test_agents_read_the_order_of_a_ticket(shop):
    ticket = shop.env["helpdesk.ticket"].create({
        "name": "Where is my order?", "team_id": shop.team.id,
        "sale_order_id": shop.order.id})
    as_agent = ticket.with_user(shop.agent)
    assert as_agent.sale_order_id.name == shop.order.name
    assert as_agent.sale_order_id.order_line.product_id == shop.panel
