"""The public lead form's model: field checks, the honeypot, the rate limit, UTM by name,
the lead made from whitelisted fields only by the form's low-privilege user, assignment
and the note about existing customers."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from core.exceptions import AccessError

IP = "203.0.113.7"


def valid(**changes) -> dict:
    data = {"name": "Anna Berg", "email": "anna@lichtwerk.example",
            "company": "Lichtwerk GmbH", "country_id": "", "phone": "+49 30 1234 567",
            "message": "We need 500 LED panels\nfor a school in Berlin."}
    data.update(changes)
    return data


@pytest.fixture
def submit(env):
    Submission = env["crm.lead.form.submission"]  # noqa: N806

    def call(data: dict, address: str = IP, lang: str | None = None):
        return Submission._submit(data, address, lang)
    return call


def set_param(env, key: str, value) -> None:
    env["ir.config_parameter"].sudo().set_param(key, str(value))


def test_a_valid_submission_makes_a_lead_from_the_form_fields(env, submit):
    germany = env.ref("base.de")
    result = submit(valid(country_id=str(germany.id)))
    assert (result.outcome, result.errors) == ("lead", {})
    lead = result.lead
    assert lead.read(["type", "name", "contact_name", "email_from", "partner_name",
                      "country_id", "phone"])[0] | {"id": 0} == {
        "id": 0, "type": "lead", "name": "Web inquiry from Lichtwerk GmbH",
        "contact_name": "Anna Berg", "email_from": "anna@lichtwerk.example",
        "partner_name": "Lichtwerk GmbH", "country_id": (germany.id, germany.name),
        "phone": "+49 30 1234 567"}
    assert str(lead.description) == "<p>We need 500 LED panels<br>for a school in Berlin.</p>"
    assert lead.create_uid == env.ref("crm_marketing.user_lead_form")
    assert lead.market_id == env.ref("crm.market_europe")
    row = env["crm.lead.form.submission"].search([("lead_id", "=", lead.id)])
    assert row.outcome == "lead"
    assert IP not in row.client_key and len(row.client_key) == 64      # a keyed hash


def test_markup_in_the_message_is_text(env, submit):
    lead = submit(valid(message='<script>alert("x")</script> & <b>bold</b>')).lead
    assert "<script>" not in str(lead.description)
    assert "&lt;script&gt;" in str(lead.description) and "&amp;" in str(lead.description)


def test_only_whitelisted_fields_are_written(env, submit):
    boss = env.ref("base.user_admin")
    result = submit(valid(user_id=str(boss.id), type="opportunity", expected_revenue="1e9",
                          stage_id=str(env.ref("crm.stage_lead4").id), priority="3",
                          campaign_id="1", description="<img src=x>"))
    lead = result.lead
    assert (lead.type, lead.expected_revenue, lead.priority, lead.stage_id.is_won) == \
        ("lead", 0.0, "0", False)
    assert lead.user_id != boss and not lead.campaign_id


def test_errors_name_each_field_and_keep_the_input(env, submit):
    count = env["crm.lead"].search_count([])
    result = submit({"name": "  ", "email": "anna(at)lichtwerk", "company": "x" * 101,
                     "country_id": "999999", "phone": "call me maybe", "message": "",
                     "utm_campaign": "Spring"})
    assert result.outcome == "invalid" and result.lead is None
    assert result.errors == {
        "name": "Your name: this field is required.",
        "email": "E-mail: anna(at)lichtwerk is not an e-mail address; enter one such as "
                 "name@example.com.",
        "company": "Company: at most 100 characters (you typed 101).",
        "country_id": "Country: choose a country from the list.",
        "phone": "Phone: use digits, spaces and + ( ) - . / only, e.g. +49 30 1234 567.",
        "message": "Message: this field is required."}
    assert result.values["email"] == "anna(at)lichtwerk"
    assert result.values["utm_campaign"] == "Spring"
    assert env["crm.lead"].search_count([]) == count
    assert not env["crm.lead.form.submission"].search([])


def test_errors_in_the_visitors_language(env, submit):
    result = submit(valid(email="", phone="?"), lang="zh_TW")
    assert result.errors == {
        "email": "電子郵件：此欄位為必填。",
        "phone": "電話：只能使用數字、空格及 + ( ) - . /，例如 +49 30 1234 567。"}


def test_control_characters_are_dropped_and_spaces_folded(env, submit):
    lead = submit(valid(name="Anna\x00 \t Berg", company="  Licht\x07werk  ")).lead
    assert (lead.contact_name, lead.partner_name) == ("Anna Berg", "Lichtwerk")


def test_a_filled_honeypot_creates_nothing(env, submit):
    count = env["crm.lead"].search_count([])
    result = submit(valid(website="http://spam.example"))
    assert (result.outcome, result.lead) == ("spam", None)
    assert env["crm.lead"].search_count([]) == count
    assert env["crm.lead.form.submission"].search([]).outcome == "spam"


def test_campaign_medium_and_source_are_found_by_name(env, submit):
    fair = env["utm.campaign"].create({"name": "Light + Building 2026"})
    email = env.ref("utm.utm_medium_email")
    source = env["utm.source"].create({"name": "Newsletter May"})
    lead = submit(valid(utm_campaign="light + building 2026", utm_medium=email.name.upper(),
                        utm_source=" Newsletter   May ")).lead
    assert (lead.campaign_id, lead.medium_id, lead.source_id) == (fair, email, source)
    fair.action_archive()
    late = submit(valid(email="late@lichtwerk.example", utm_campaign="Light + Building 2026"),
                  address="198.51.100.1").lead
    assert late.campaign_id == fair              # an ended campaign still gets its answers


def test_unknown_or_wildcard_names_create_nothing(env, submit):
    env["utm.campaign"].create({"name": "Spring Fair"})
    counts = {model: env[model].with_context(active_test=False).search_count([])
              for model in ("utm.campaign", "utm.medium", "utm.source")}
    lead = submit(valid(utm_campaign="%", utm_medium="_____", utm_source="x" * 500)).lead
    assert not (lead.campaign_id or lead.medium_id or lead.source_id)
    assert counts == {model: env[model].with_context(active_test=False).search_count([])
                      for model in counts}
    note = lead.message_ids.filtered(lambda m: "web form" in (m.body or ""))
    assert "The campaign '%' of the link does not exist." in note.body
    assert "The medium '_____' of the link does not exist." in note.body
    assert "x" * 100 in note.body and "x" * 101 not in note.body


def test_the_rate_limit_counts_recent_submissions_per_address(env, submit):
    set_param(env, "crm_marketing.lead_form_limit", 2)
    set_param(env, "crm_marketing.lead_form_window", 600)
    assert submit(valid()).outcome == "lead"
    assert submit(valid(website="spam")).outcome == "spam"        # counts too
    blocked = submit(valid())
    assert blocked.outcome == "limited" and 0 < blocked.retry_after <= 601
    assert blocked.values["name"] == "Anna Berg"
    assert submit(valid(), address="198.51.100.23").outcome == "lead"
    assert submit(valid(email="bad")).outcome == "limited"       # before any check
    # an hour later the window has passed
    table = env["crm.lead.form.submission"]._table_obj
    env.flush_all()
    env.transaction.execute(sa.update(table).values(
        create_date=dt.datetime.now() - dt.timedelta(hours=1)))
    env.invalidate_all()
    assert submit(valid()).outcome == "lead"
    set_param(env, "crm_marketing.lead_form_limit", 0)             # 0 turns it off
    assert all(submit(valid()).outcome == "lead" for _ in range(3))


def test_a_wrong_parameter_falls_back_to_the_default(env, submit):
    set_param(env, "crm_marketing.lead_form_limit", "five")
    assert env["crm.lead.form.submission"]._rate_limit() == (5, 3600)


def test_old_submissions_are_purged(env, submit):
    submit(valid())
    submit(valid(website="spam"))
    table = env["crm.lead.form.submission"]._table_obj
    env.flush_all()
    env.transaction.execute(sa.update(table).where(table.c.outcome == "spam").values(
        create_date=dt.datetime.now() - dt.timedelta(days=31)))
    env.invalidate_all()
    assert env["crm.lead.form.submission"]._cron_purge() == 1
    assert env["crm.lead.form.submission"].search([]).outcome == "lead"


def test_the_teams_rules_assign_the_lead(env, submit):
    def user(login):
        return env["res.users"].create({
            "name": login.title(), "login": login,
            "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])]})
    mei, jimmy = user("mei"), user("jimmy")
    europe = env["crm.team"].create({
        "name": "Europe", "sequence": 1, "member_ids": [(6, 0, [mei.id])],
        "market_ids": [(6, 0, [env.ref("crm.market_europe").id])]})
    americas = env["crm.team"].create({
        "name": "Americas", "sequence": 2, "member_ids": [(6, 0, [jimmy.id])],
        "market_ids": [(6, 0, [env.ref("crm.market_north_america").id])]})
    german = submit(valid(country_id=str(env.ref("base.de").id))).lead
    american = submit(valid(email="bob@acme.example", country_id=str(env.ref("base.us").id)),
                      address="198.51.100.2").lead
    assert (german.team_id, german.user_id) == (europe, mei)
    assert (american.team_id, american.user_id) == (americas, jimmy)


def test_existing_customers_and_similar_leads_are_noted(env, submit):
    lichtwerk = env["res.partner"].create({"name": "Lichtwerk Handels GmbH",
                                           "is_company": True})
    anna = env["res.partner"].create({"name": "Anna Berg", "email": "Anna@Lichtwerk.example",
                                      "parent_id": lichtwerk.id})
    earlier = env["crm.lead"].create({"name": "Panels 2025",
                                      "email_from": "anna@lichtwerk.example"})
    lead = submit(valid(company="LICHTWERK Handels gmbh.")).lead
    assert not lead.partner_id                 # a visitor does not pick a customer
    note = lead.message_ids.filtered(lambda m: "web form" in (m.body or "")).body
    assert "Possible existing customer" in note
    assert anna.display_name in note and lichtwerk.name in note
    assert f"Panels 2025 (#{earlier.id})" in note
    assert earlier in lead.duplicate_lead_ids


def test_the_forms_user_may_create_leads_and_nothing_more(env, submit):
    user = env.ref("crm_marketing.user_lead_form").with_context(active_test=False)
    assert not user.active and user.share
    form = env(user=user.id, su=False)
    lead = submit(valid()).lead
    for call in (lambda: form["crm.lead"].search([]),
                 lambda: form["crm.lead"].browse(lead.id).read(["name"]),
                 lambda: form["crm.lead"].browse(lead.id).write({"name": "x"}),
                 lambda: form["res.partner"].create({"name": "x"}),
                 lambda: form["utm.campaign"].create({"name": "x"}),
                 lambda: form["crm.lead.form.submission"].search([])):
        with pytest.raises(AccessError):
            call()
    made = form["crm.lead"].create({"name": "Direct", "type": "lead", "user_id": False})
    assert made.sudo().create_uid == user
