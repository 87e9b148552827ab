"""A nurturing sequence with e-mails, run by the scheduler with a fake clock (both
backends): send a welcome; if it is opened within 3 days send the case study, if
not a reminder; a click creates a lead; a reply stops the sequence (and the
salesperson gets a lead). Events come through the mailing traces' ``set_*``
methods, as the tracking routes and the mail gateway call them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from core.exceptions import UserError, ValidationError
from tests.addons_marketing.conftest import Clock, model_id

D = dt.datetime
#: Monday 7 December 2026, 09:00 UTC
START = D(2026, 12, 7, 9, 0)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch, START)


def run_scheduler(env) -> None:
    """What the scheduled job does when it is due."""
    env.ref("crm_marketing.ir_cron_campaign_execute_activities").method_direct_trigger()


@pytest.fixture
def seq(mk, clock):
    """The sequence on the contacts of the LED news list (Anna, Bruno, Chen)."""
    env = mk.env
    env["crm.team"].search([]).write({"assignment_optout": True})
    campaign = env["marketing.campaign"].create({
        "name": "Fair follow-up", "model_id": model_id(env, "mailing.contact"),
        "domain": f"[('list_ids', 'in', [{mk.news.id}])]", "user_id": mk.marketer.id})

    def mailing(subject):
        return mk.mailing(mk.news, subject=subject)

    def step(name, **values):
        return env["marketing.activity"].create({"campaign_id": campaign.id, "name": name,
                                                 **values})

    welcome = step("Welcome", activity_type="email",
                   mass_mailing_id=mailing("Welcome {{ object.name }}").id)
    case_study = step("Case study", activity_type="email", parent_id=welcome.id,
                      trigger_type="mail_open",
                      mass_mailing_id=mailing("How Lichtwerk saved 40 %").id)
    reminder = step("Reminder", activity_type="email", parent_id=welcome.id,
                    trigger_type="mail_not_open", interval_number=3, interval_type="days",
                    mass_mailing_id=mailing("Did you see our offer?").id)
    click_lead = step("Clicked the welcome", activity_type="create_lead",
                      parent_id=welcome.id, trigger_type="mail_click")
    reply_lead = step("Replied to the welcome", activity_type="create_lead",
                      parent_id=welcome.id, trigger_type="mail_reply")
    case_lead = step("Clicked the case study", activity_type="create_lead",
                     parent_id=case_study.id, trigger_type="mail_click")
    anna, bruno, chen, _dana = mk.contacts
    return SimpleNamespace(
        env=env, mk=mk, clock=clock, campaign=campaign, welcome=welcome,
        case_study=case_study, reminder=reminder, click_lead=click_lead,
        reply_lead=reply_lead, case_lead=case_lead, anna=anna, bruno=bruno, chen=chen)


def trace(seq, contact, activity):
    return seq.env["marketing.trace"].search([("campaign_id", "=", seq.campaign.id),
                                              ("res_id", "=", contact.id),
                                              ("activity_id", "=", activity.id)])


def mail(seq, contact, activity):
    """The mailing trace of the e-mail a step sent to a contact."""
    return seq.env["mailing.trace"].search([("mailing_id", "=", activity.mass_mailing_id.id),
                                            ("res_id", "=", contact.id)])


def participant(seq, contact):
    return seq.env["marketing.participant"].search([("campaign_id", "=", seq.campaign.id),
                                                    ("res_id", "=", contact.id)])


def leads(seq):
    return seq.env["crm.lead"].search([("campaign_id", "=", seq.campaign.utm_campaign_id.id)])


def check_one_running_step(seq) -> None:
    """Every scheduled step of a participant hangs under one processed step."""
    for part in seq.campaign.participant_ids:
        scheduled = part.trace_ids.filtered(lambda t: t.state == "scheduled")
        parents = scheduled.mapped("parent_id")
        assert len(parents) <= 1, (part.record_name, parents.mapped("activity_id.name"))
        assert all(p.state == "processed" for p in parents)
        assert part.current_activity_id == parents.activity_id


def click(mailing_trace) -> None:
    """A click on a tracked link, reported as the redirect does: opened, clicked."""
    mailing_trace.set_opened()
    mailing_trace.set_clicked()


def states(seq, contact) -> dict[str, tuple]:
    return {t.activity_id.name: (t.state, t.schedule_date, t.state_msg or "")
            for t in participant(seq, contact).trace_ids}


def test_the_three_step_sequence(seq):
    env, clock = seq.env, seq.clock
    seq.campaign.action_start_campaign()
    assert seq.welcome.mass_mailing_id.use_in_marketing_automation
    assert seq.welcome.mass_mailing_id.campaign_id == seq.campaign.utm_campaign_id

    # Monday 09:00: the welcome goes to the three contacts of the list
    run_scheduler(env)
    run_scheduler(env)                           # twice: nothing is sent twice
    welcome = seq.welcome.mass_mailing_id
    assert env["mail.mail"].search_count([("mailing_id", "=", welcome.id)]) == 3
    for contact in (seq.anna, seq.bruno, seq.chen):
        sent = mail(seq, contact, seq.welcome)
        assert sent.trace_status == "outgoing"
        assert sent.marketing_trace_id == trace(seq, contact, seq.welcome)
        assert sent.mail_mail_id.subject == f"Welcome {contact.name}"
        assert states(seq, contact) == {
            "Welcome": ("processed", START, ""),
            "Case study": ("scheduled", False, ""),
            "Reminder": ("scheduled", D(2026, 12, 10, 9, 0), ""),
            "Clicked the welcome": ("scheduled", False, ""),
            "Replied to the welcome": ("scheduled", False, "")}
        assert participant(seq, contact).current_activity_id == seq.welcome
    check_one_running_step(seq)
    (mail(seq, seq.anna, seq.welcome) | mail(seq, seq.bruno, seq.welcome)
     | mail(seq, seq.chen, seq.welcome)).set_sent()      # the mail queue delivered them

    # Tuesday 10:00 Anna opens the welcome: the case study at the next run
    clock.set(D(2026, 12, 8, 10, 0))
    mail(seq, seq.anna, seq.welcome).set_opened()
    assert states(seq, seq.anna)["Case study"] == ("scheduled", D(2026, 12, 8, 10, 0), "")
    assert states(seq, seq.anna)["Reminder"] == (
        "canceled", D(2026, 12, 8, 10, 0), "The e-mail was opened")
    clock.set(D(2026, 12, 8, 10, 10))
    run_scheduler(env)
    assert mail(seq, seq.anna, seq.case_study).trace_status == "outgoing"
    assert states(seq, seq.anna) == {
        "Welcome": ("processed", START, ""),
        "Case study": ("processed", D(2026, 12, 8, 10, 10), ""),
        "Reminder": ("canceled", D(2026, 12, 8, 10, 0), "The e-mail was opened"),
        "Clicked the welcome": ("canceled", D(2026, 12, 8, 10, 10),
                                "Moved on to Case study"),
        "Replied to the welcome": ("canceled", D(2026, 12, 8, 10, 10),
                                   "Moved on to Case study"),
        "Clicked the case study": ("scheduled", False, "")}
    assert participant(seq, seq.anna).current_activity_id == seq.case_study
    check_one_running_step(seq)

    # 11:00 Bruno clicks the welcome's link (an open and a click, as the
    # redirect reports them): his lead, then the case study
    clock.set(D(2026, 12, 8, 11, 0))
    click(mail(seq, seq.bruno, seq.welcome))
    clock.set(D(2026, 12, 8, 11, 10))
    run_scheduler(env)
    bruno = states(seq, seq.bruno)
    assert bruno["Clicked the welcome"] == ("processed", D(2026, 12, 8, 11, 10), "")
    assert bruno["Case study"] == ("processed", D(2026, 12, 8, 11, 10), "")
    assert bruno["Replied to the welcome"] == ("canceled", D(2026, 12, 8, 11, 10),
                                               "Moved on to Case study")
    lead = leads(seq)
    assert len(lead) == 1
    assert (lead.contact_name, lead.email_from, lead.type) == \
        ("Bruno Rossi", "Bruno.Rossi@luce.example", "lead")
    assert lead.source_id == seq.welcome.mass_mailing_id.source_id
    assert lead.medium_id == env.ref("utm.utm_medium_email")
    assert lead.user_id == seq.mk.marketer                  # nobody else takes it
    assert trace(seq, seq.bruno, seq.click_lead).lead_id == lead
    assert welcome.crm_lead_count == 1
    check_one_running_step(seq)

    # Wednesday: Anna clicks in the case study: her lead; nothing left for her
    clock.set(D(2026, 12, 9, 15, 0))
    click(mail(seq, seq.anna, seq.case_study))
    run_scheduler(env)
    assert states(seq, seq.anna)["Clicked the case study"] == \
        ("processed", D(2026, 12, 9, 15, 0), "")
    assert participant(seq, seq.anna).state == "completed"
    assert len(leads(seq)) == 2

    # Thursday 09:00: three days without opening: Chen gets the reminder, and
    # the "opened" branch expires with it
    clock.set(D(2026, 12, 10, 8, 59))
    run_scheduler(env)
    assert trace(seq, seq.chen, seq.reminder).state == "scheduled"
    clock.set(D(2026, 12, 10, 9, 0))
    run_scheduler(env)
    chen = states(seq, seq.chen)
    assert chen["Reminder"] == ("processed", D(2026, 12, 10, 9, 0), "")
    assert chen["Case study"] == ("canceled", D(2026, 12, 10, 9, 0), "Reminder ran first")
    assert mail(seq, seq.chen, seq.reminder).mail_mail_id.subject == "Did you see our offer?"
    # opening the welcome now is too late for the case study
    clock.set(D(2026, 12, 11, 8, 0))
    mail(seq, seq.chen, seq.welcome).set_opened()
    run_scheduler(env)
    assert not mail(seq, seq.chen, seq.case_study)
    assert participant(seq, seq.chen).state == "running"   # a click may still come

    # Friday: Chen replies to the welcome: the sequence stops, the reply's lead runs
    clock.set(D(2026, 12, 11, 9, 30))
    mail(seq, seq.chen, seq.welcome).set_replied()
    chen = states(seq, seq.chen)
    assert chen["Clicked the welcome"] == ("canceled", D(2026, 12, 11, 9, 30),
                                           "The contact replied")
    assert chen["Replied to the welcome"] == ("scheduled", D(2026, 12, 11, 9, 30), "")
    run_scheduler(env)
    assert states(seq, seq.chen)["Replied to the welcome"][0] == "processed"
    assert participant(seq, seq.chen).state == "completed"
    assert sorted(leads(seq).mapped("contact_name")) == ["Anna Weber", "Bruno Rossi",
                                                         "Chen Wei"]

    # Bruno replies to the case study: stopped, nothing more for him
    clock.set(D(2026, 12, 12, 9, 0))
    mail(seq, seq.bruno, seq.case_study).set_replied()
    assert states(seq, seq.bruno)["Clicked the case study"] == \
        ("canceled", D(2026, 12, 12, 9, 0), "The contact replied")
    assert participant(seq, seq.bruno).state == "completed"
    assert set(seq.campaign.participant_ids.mapped("state")) == {"completed"}
    check_one_running_step(seq)

    # what the steps' statistics say
    assert (seq.welcome.processed, seq.welcome.total_sent, seq.welcome.total_open,
            seq.welcome.total_click, seq.welcome.total_reply) == (3, 3, 3, 1, 1)
    assert (seq.case_study.processed, seq.case_study.total_open,
            seq.case_study.total_click, seq.case_study.total_reply) == (2, 2, 1, 1)
    assert (seq.reminder.processed, seq.reminder.canceled) == (1, 2)
    assert seq.campaign.lead_count == 3

    # a run at the end changes nothing: no second e-mail, no second lead
    clock.set(D(2026, 12, 20, 9, 0))
    run_scheduler(env)
    assert env["mail.mail"].search_count([("mailing_id", "in", (
        seq.welcome | seq.case_study | seq.reminder).mapped("mass_mailing_id").ids)]) == 6
    assert len(leads(seq)) == 3


def test_blacklisted_and_opted_out_contacts_get_nothing(seq):
    env = seq.env
    env["mail.blacklist"].sudo()._add("chen@guangming.example")
    subscription = env["mailing.subscription"].search([("contact_id", "=", seq.bruno.id),
                                                        ("list_id", "=", seq.mk.news.id)])
    seq.campaign.action_start_campaign()
    subscription.opt_out = True
    run_scheduler(env)
    assert states(seq, seq.chen) == {
        "Welcome": ("canceled", START, "E-mail canceled: Blacklisted Address")}
    assert states(seq, seq.bruno) == {
        "Welcome": ("canceled", START, "E-mail canceled: Opted Out")}
    assert participant(seq, seq.chen).state == participant(seq, seq.bruno).state == \
        "completed"
    assert trace(seq, seq.anna, seq.welcome).state == "processed"
    assert env["mail.mail"].search_count(
        [("mailing_id", "=", seq.welcome.mass_mailing_id.id)]) == 1


def test_a_bounce_cancels_the_next_steps_but_the_bounce_branch(seq):
    env, clock = seq.env, seq.clock
    cleanup = env["marketing.activity"].create({
        "campaign_id": seq.campaign.id, "name": "Check the address",
        "activity_type": "create_lead", "parent_id": seq.welcome.id,
        "trigger_type": "mail_bounce", "interval_number": 1, "interval_type": "hours"})
    seq.campaign.action_start_campaign()
    run_scheduler(env)
    clock.set(D(2026, 12, 7, 9, 30))
    mail(seq, seq.anna, seq.welcome).set_bounced(bounce_message="550 unknown user")
    anna = states(seq, seq.anna)
    assert anna["Check the address"] == ("scheduled", D(2026, 12, 7, 10, 30), "")
    for name in ("Case study", "Reminder", "Clicked the welcome", "Replied to the welcome"):
        assert anna[name] == ("canceled", D(2026, 12, 7, 9, 30), "The e-mail bounced")
    clock.set(D(2026, 12, 7, 10, 30))
    run_scheduler(env)
    assert trace(seq, seq.anna, cleanup).state == "processed"
    assert participant(seq, seq.anna).state == "completed"
    assert seq.welcome.total_bounce == 1


def test_events_of_finished_participants_change_nothing(seq):
    env, clock = seq.env, seq.clock
    seq.campaign.action_start_campaign()
    run_scheduler(env)
    participant(seq, seq.anna).action_set_completed()
    clock.advance(hours=1)
    click(mail(seq, seq.anna, seq.welcome))
    run_scheduler(env)
    assert not leads(seq)
    assert states(seq, seq.anna)["Clicked the welcome"][0] == "canceled"


def test_a_failing_send_marks_the_trace_and_the_others_go_on(seq, monkeypatch):
    env = seq.env
    Mailing = type(env["mailing.mailing"])  # noqa: N806
    original = Mailing.action_send_mail

    def failing(self, res_ids=None):
        if res_ids and seq.bruno.id in res_ids:
            raise UserError("The template cannot be rendered for Bruno")
        return original(self, res_ids=res_ids)

    monkeypatch.setattr(Mailing, "action_send_mail", failing)
    seq.campaign.action_start_campaign()
    run_scheduler(env)
    bruno = trace(seq, seq.bruno, seq.welcome)
    assert (bruno.state, bruno.state_msg) == \
        ("error", "Welcome failed: The template cannot be rendered for Bruno")
    assert trace(seq, seq.anna, seq.welcome).state == "processed"
    assert trace(seq, seq.chen, seq.welcome).state == "processed"
    assert not mail(seq, seq.bruno, seq.welcome)
    assert env["mail.mail"].search_count(
        [("mailing_id", "=", seq.welcome.mass_mailing_id.id)]) == 2
    assert seq.welcome.errors == 1


def test_a_steps_mailing_is_sent_by_the_sequence_only(seq):
    mailing = seq.welcome.mass_mailing_id
    with pytest.raises(UserError, match="nurturing sequence"):
        mailing.action_launch()
    with pytest.raises(UserError, match="nurturing sequence"):
        mailing.action_send_mail()
    assert mailing.state == "draft" and not mailing.mailing_trace_ids


def test_email_steps_are_checked(seq):
    env, mk = seq.env, seq.mk
    with pytest.raises(ValidationError, match="choose its mailing"):
        env["marketing.activity"].create({"campaign_id": seq.campaign.id, "name": "Empty",
                                          "activity_type": "email"})
    partners = mk.mailing(None, subject="To customers",
                          mailing_model_id=model_id(env, "res.partner"))
    with pytest.raises(ValidationError, match="written for"):
        env["marketing.activity"].create({"campaign_id": seq.campaign.id, "name": "Wrong",
                                          "activity_type": "email",
                                          "mass_mailing_id": partners.id})
    assert not partners.use_in_marketing_automation
