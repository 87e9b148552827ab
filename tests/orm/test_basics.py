"""The first things a developer does: create, read, search, write, unlink."""

from __future__ import annotations

import pytest

from core.exceptions import ValidationError
from tests.orm.sample_models import ALL

MODELS = ALL


def test_create_read_write_unlink(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    acme = env["test.partner"].create({"name": "Acme", "country_id": de.id})
    assert acme.country_id == de
    assert acme.country_code == "DE"
    acme.write({"name": "Acme GmbH"})
    assert env["test.partner"].search([("name", "=", "Acme GmbH")]) == acme
    acme.unlink()
    assert not acme.exists()


def test_order_totals_follow_lines(env):
    partner = env["test.partner"].create({"name": "Buyer"})
    order = env["test.order"].create({
        "partner_id": partner.id,
        "line_ids": [(0, 0, {"product": "LED panel", "quantity": 10, "price_unit": 5.5}),
                     (0, 0, {"product": "Driver", "quantity": 2, "price_unit": 3})],
    })
    assert order.amount_total == 61.0
    assert partner.total_ordered == 61.0
    order.line_ids[0].quantity = 20
    assert order.amount_total == 116.0
    assert partner.total_ordered == 116.0


def test_required_field_named_in_error(env):
    with pytest.raises(ValidationError, match="test.partner.name"):
        env["test.partner"].create({"email": "x@example.com"})
