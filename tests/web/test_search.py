"""The search bar: field searches, filters, group-bys, facets and favourites."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from tests.web.conftest import text, xmlid
from tests.web.test_list import names


def counter(html: str) -> str:
    found = re.search(r'<span class="o-pager-value">([^<]*)</span> / '
                      r'<span class="o-pager-count">(\d+)</span>', html)
    return f"{found.group(1)} / {found.group(2)}" if found else ""


def orders(web) -> int:
    return xmlid(web, "tweb_shop.tweb_order_action")


def test_search_a_field(web):
    html = text(web.client("demo").get(f"/web/action/{orders(web)}?q=name:SO05"))
    assert names(html) == [f"SO05{i}" for i in range(10)]
    assert '<span class="o-facet-label">Reference</span>' in html
    # the facet removes itself
    assert f'href="/web/action/{orders(web)}?s=1"' in html


def test_text_typed_without_a_field_searches_the_first_one(web):
    html = text(web.client("demo").get(f"/web/action/{orders(web)}?q_text=SO09"))
    assert len(names(html)) == 10 and '<span class="o-facet-values">SO09</span>' in html


def test_filter_domain_of_a_field(web):
    client = web.client("demo")
    by_ref = text(client.get(f"/web/action/{orders(web)}?q=partner_id:GX2"))
    by_name = text(client.get(f"/web/action/{orders(web)}?q=partner_id:glob"))
    assert counter(by_ref) == counter(by_name) == "1-50 / 50"
    # two values of one field: OR
    both = text(client.get(f"/web/action/{orders(web)}?q=partner_id:GX2&q=partner_id:AC1"))
    assert counter(both) == "1-80 / 100"
    # two fields: AND
    html = text(client.get(f"/web/action/{orders(web)}?q=partner_id:GX2&q=name:SO01"))
    assert names(html) == ["SO010", "SO012", "SO014", "SO016", "SO018"]


def test_filters_of_a_group_are_or_ed_and_groups_and_ed(web):
    client = web.client("manager")
    with web.env() as env:
        env["tweb.order"].search([("name", "in", ["SO001", "SO010"])]).sudo().write(
            {"state": "confirmed"})
    base = f"/web/action/{orders(web)}"
    assert counter(text(client.get(f"{base}?filter=draft"))) == "1-80 / 98"
    assert counter(text(client.get(f"{base}?filter=draft&filter=confirmed"))) == "1-80 / 100"
    urgent = text(client.get(f"{base}?filter=confirmed&filter=urgent"))
    assert names(urgent) == ["SO010"]
    assert '<span class="o-facet-values">Draft or Confirmed</span>' in text(
        client.get(f"{base}?filter=draft&filter=confirmed"))


def test_group_by_with_counts_and_sums(web):
    client = web.client("demo")
    html = text(client.get(f"/web/action/{orders(web)}?groupby=partner_id"))
    groups = re.findall(r'class="o-group-row o-level-0" data-domain="([^"]*)".*?'
                        r'<span aria-hidden="true" class="o-caret">▸</span>|'
                        r'<span class="o-caret" aria-hidden="true">▸</span> ([^<]*) '
                        r'<span class="o-count">\((\d+)\)</span>', html, re.S)
    labels = [(label.strip(), count) for _domain, label, count in groups if label]
    assert labels == [("Acme", "50"), ("Globex", "50")]
    assert ">2,500.00</td>" in html and ">2,450.00</td>" in html     # amounts per customer
    assert '<span class="o-facet-label">Group By</span>' in html
    # a group's rows come from the same URL, with the group's domain
    domain = re.search(r'data-domain="([^"]*)"', html).group(1).replace("&#34;", '"')
    rows = text(client.get(f"/web/action/{orders(web)}?groupby=partner_id&fragment=group"
                           f"&gdomain={quote(domain)}&level=1"))
    assert len(names(rows)) == 50


def test_nested_groups(web):
    client = web.client("demo")
    url = f"/web/action/{orders(web)}?groupby=partner_id&groupby=is_urgent"
    html = text(client.get(url))
    # Globex (the second group) has urgent orders and others
    domain = json.loads(re.findall(r'data-domain="([^"]*)"', html)[1].replace("&#34;", '"'))
    sub = text(client.get(f"{url}&fragment=group&gdomain={quote(json.dumps(domain))}"
                          "&level=1"))
    assert sub.count('class="o-group-row o-level-1"') == 2
    assert "Yes" in sub and "No" in sub


def test_group_by_filter_of_the_search_view(web):
    html = text(web.client("demo").get(f"/web/action/{orders(web)}?groupby=state"))
    assert "Draft" in html and "o-group-row" in html
    assert "o-checked\">State" in html


def test_group_domain_from_the_page_stays_within_the_action(web):
    client = web.client("demo")
    action = xmlid(web, "tweb_shop.tweb_order_urgent_action")
    rows = text(client.get(f"/web/action/{action}?groupby=state&fragment=group"
                           f"&gdomain={quote(json.dumps([]))}&level=1"))
    # the action's limit (5) applies; every row is within the action's domain
    assert len(names(rows)) == 5
    assert set(names(rows)) <= {f"SO0{i}0" for i in range(10)}


def test_favourites_are_saved_per_user(web):
    client = web.client("demo")
    action = orders(web)
    base = f"/web/action/{action}"
    response = client.post(f"{base}/favorite?s=1&q=partner_id:GX2&groupby=state"
                           "&order=amount+desc", {"name": "Globex by state"})
    assert response.status_code == 302
    with web.env() as env:
        favorite = env["ir.filters"].search([("name", "=", "Globex by state")])
        assert favorite.user_id.login == "demo"
        assert favorite.model_id == "tweb.order" and favorite.action_id.id == action
        assert "GX2" in favorite.domain and "state" in favorite.context
        assert json.loads(favorite.sort) == ["amount desc"]
    html = text(client.get(f"{base}?fav={favorite.id}"))
    assert '<span class="o-facet-values">Globex by state</span>' in html
    assert "o-group-row" in html
    assert "Globex by state" not in text(web.client("manager").get(base))
    # deleting it
    assert client.post(f"/web/favorite/{favorite.id}/delete", {"back": base}).status_code == 302
    with web.env() as env:
        assert not env["ir.filters"].search([("name", "=", "Globex by state")])


def test_default_favourite_applies_when_nothing_is_chosen(web):
    client = web.client("manager")
    base = f"/web/action/{orders(web)}"
    client.post(f"{base}/favorite?s=1&filter=urgent", {"name": "Urgent ones",
                                                       "is_default": "1"})
    html = text(client.get(base))
    assert '<span class="o-facet-values">Urgent ones</span>' in html
    assert counter(html) == "1-10 / 10"
    # once the user removes it, the page does not bring it back
    assert counter(text(client.get(f"{base}?s=1"))) == "1-80 / 100"
    assert counter(text(web.client("demo").get(base))) == "1-80 / 100"


def test_a_favourite_needs_a_name(web):
    response = web.client("demo").post(f"/web/action/{orders(web)}/favorite", {"name": " "})
    assert response.status_code == 422 and "Give the favourite a name." in text(response)
