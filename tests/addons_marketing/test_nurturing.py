"""Nurturing sequences run by the scheduler with a fake clock (both backends): the
steps that hand contacts to salespeople (to-dos and leads), enrolment, waiting,
idempotence, errors, one running step per contact, and what is refused.

The e-mail steps and their events are in test_nurturing_mail.py.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from core.exceptions import UserError, ValidationError
from tests.addons_marketing.conftest import Clock
from tests.fixtures import QueryCounter

D = dt.datetime
#: Monday 7 December 2026, 09:00 UTC
START = D(2026, 12, 7, 9, 0)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch, START)


def run_scheduler(env) -> None:
    """What the scheduled job does when it is due."""
    env.ref("crm_marketing.ir_cron_campaign_execute_activities").method_direct_trigger()


def make_user(env, login: str, *groups: str):
    return env["res.users"].create({
        "name": login.replace("_", " ").title(), "login": login,
        "email": f"{login}@troika.example",
        "groups_id": [(6, 0, [env.ref(g).id for g in ("base.group_user", *groups)])]})


@pytest.fixture
def world(env, clock):
    """A marketing user, two salespeople in a team that takes every lead, and
    three contacts met at a fair (one with a salesperson of her own)."""
    sales = ("sales_team.group_sale_salesman",)
    users = SimpleNamespace(
        marketer=make_user(env, "marketer", "crm_marketing.group_mass_mailing_user"),
        mei=make_user(env, "mei", *sales), tom=make_user(env, "tom", *sales))
    env["crm.team"].search([]).write({"assignment_optout": True})
    team = env["crm.team"].create({"name": "Inside Sales", "sequence": 1,
                                   "member_ids": [(6, 0, [users.mei.id, users.tom.id])]})
    fair = env["res.partner.category"].create({"name": "Fair 2026"})
    Partner = env["res.partner"]  # noqa: N806
    contacts = SimpleNamespace(
        anna=Partner.create({"name": "Anna Weber", "email": "anna@lichtwerk.example",
                             "category_id": [(6, 0, [fair.id])], "user_id": users.tom.id}),
        bob=Partner.create({"name": "Bob Stone", "email": "bob@stone.example",
                            "category_id": [(6, 0, [fair.id])]}),
        chen=Partner.create({"name": "Chen Li", "email": "chen@li.example",
                             "category_id": [(6, 0, [fair.id])]}),
        other=Partner.create({"name": "Not at the fair", "email": "x@y.example"}))
    return SimpleNamespace(env=env, users=users, team=team, fair=fair, contacts=contacts,
                           clock=clock)


def make_campaign(env, name="Fair follow-up", domain="[('category_id.name', '=', 'Fair 2026')]",
                  model="res.partner", **values):
    return env["marketing.campaign"].create({
        "name": name, "model_id": env["ir.model"]._get_id(model), "domain": domain,
        **values})


def step(campaign, name, **values):
    return campaign.env["marketing.activity"].create({"campaign_id": campaign.id,
                                                      "name": name, **values})


def traces_of(campaign, record, activity=None):
    domain = [("campaign_id", "=", campaign.id), ("res_id", "=", record.id)]
    if activity:
        domain.append(("activity_id", "=", activity.id))
    return campaign.env["marketing.trace"].search(domain)


def participant_of(campaign, record):
    return campaign.env["marketing.participant"].search(
        [("campaign_id", "=", campaign.id), ("res_id", "=", record.id)])


def handover_campaign(world):
    """Two days after enrolment a to-do for the salesperson ("Call"); the day after,
    a lead ("Hand over")."""
    env = world.env
    campaign = make_campaign(env, user_id=world.users.marketer.id)
    call = step(campaign, "Call", activity_type="schedule_activity", trigger_type="begin",
                interval_number=2, interval_type="days",
                mail_activity_type_id=env.ref("mail.mail_activity_data_call").id,
                mail_activity_summary="Ask about the fair samples")
    lead = step(campaign, "Hand over", activity_type="create_lead", trigger_type="activity",
                parent_id=call.id, interval_number=1, interval_type="days")
    return campaign, call, lead


def test_start_enrols_the_filter_and_schedules_the_first_step(world):
    campaign, call, _lead = handover_campaign(world)
    assert campaign.state == "draft" and campaign.utm_campaign_id.name == "Fair follow-up"
    campaign.action_start_campaign()
    assert campaign.state == "running"
    c = world.contacts
    assert sorted(campaign.participant_ids.mapped("res_id")) == \
        sorted([c.anna.id, c.bob.id, c.chen.id])
    assert set(campaign.participant_ids.mapped("state")) == {"running"}
    trace = traces_of(campaign, c.anna)
    assert (trace.activity_id, trace.state, trace.schedule_date) == \
        (call, "scheduled", D(2026, 12, 9, 9, 0))
    assert campaign.total_participant_count == 3 and campaign.running_participant_count == 3
    assert participant_of(campaign, c.anna).next_date == D(2026, 12, 9, 9, 0)
    assert not participant_of(campaign, c.anna).current_activity_id


def test_a_sequence_run_by_the_scheduler(world):
    env, c, users = world.env, world.contacts, world.users
    campaign, call, lead_step = handover_campaign(world)
    campaign.action_start_campaign()
    Activity = env["mail.activity"]  # noqa: N806

    world.clock.set(D(2026, 12, 9, 8, 59))          # a minute too early: nothing
    run_scheduler(env)
    assert set(campaign.participant_ids.mapped("trace_ids.state")) == {"scheduled"}

    world.clock.set(D(2026, 12, 9, 9, 10))           # the job's next run
    run_scheduler(env)
    call_trace = traces_of(campaign, c.anna, call)
    assert (call_trace.state, call_trace.schedule_date) == ("processed", D(2026, 12, 9, 9, 10))
    todo = Activity.search([("res_model", "=", "res.partner"), ("res_id", "=", c.anna.id)])
    assert (todo.user_id, todo.summary, todo.activity_type_id, todo.automated) == \
        (users.tom, "Ask about the fair samples", env.ref("mail.mail_activity_data_call"), True)
    assert todo.date_deadline == dt.date(2026, 12, 11)          # the Call type's 2 days
    # contacts without a salesperson: the campaign's responsible
    bob_todo = Activity.search([("res_model", "=", "res.partner"), ("res_id", "=", c.bob.id)])
    assert bob_todo.user_id == users.marketer
    hand_over = traces_of(campaign, c.anna, lead_step)
    assert (hand_over.state, hand_over.schedule_date, hand_over.parent_id) == \
        ("scheduled", D(2026, 12, 10, 9, 10), call_trace)
    assert participant_of(campaign, c.anna).current_activity_id == call

    run_scheduler(env)                               # run twice: nothing happens twice
    assert Activity.search_count([("res_model", "=", "res.partner"),
                                  ("res_id", "in", [c.anna.id, c.bob.id, c.chen.id])]) == 3
    assert call.processed == 3 and lead_step.waiting == 3

    world.clock.set(D(2026, 12, 10, 9, 20))
    run_scheduler(env)
    leads = env["crm.lead"].search([("campaign_id", "=", campaign.utm_campaign_id.id)])
    assert len(leads) == 3 and campaign.lead_count == 3
    by_partner = {lead.partner_id: lead for lead in leads if lead.partner_id}
    anna_lead = by_partner[c.anna]
    assert anna_lead.type == "lead" and anna_lead.email_from == "anna@lichtwerk.example"
    assert anna_lead.user_id == users.tom                        # her salesperson
    assert {by_partner[c.bob].user_id, by_partner[c.chen].user_id} == {users.mei, users.tom}
    assert {by_partner[c.bob].team_id, by_partner[c.chen].team_id} == {world.team}
    assert traces_of(campaign, c.anna, lead_step).lead_id == anna_lead
    assert "Fair follow-up" in anna_lead.name and "Call" in anna_lead.description
    assert set(campaign.participant_ids.mapped("state")) == {"completed"}
    assert campaign.completed_participant_count == 3

    run_scheduler(env)
    assert env["crm.lead"].search_count(
        [("campaign_id", "=", campaign.utm_campaign_id.id)]) == 3


def test_new_matching_records_are_enrolled_once(world):
    env, c = world.env, world.contacts
    campaign, call, _lead = handover_campaign(world)
    campaign.action_start_campaign()
    world.clock.advance(hours=5)
    dora = env["res.partner"].create({"name": "Dora Ng", "category_id": [(6, 0, [world.fair.id])]})
    run_scheduler(env)
    run_scheduler(env)
    campaign.sync_participants()
    assert len(campaign.participant_ids) == 4
    trace = traces_of(campaign, dora)
    assert (trace.activity_id, trace.schedule_date) == (call, D(2026, 12, 9, 14, 0))
    # a participant whose record left the filter stays enrolled (once), its
    # step is rejected when it comes
    c.bob.category_id = [(5,)]
    run_scheduler(env)
    assert participant_of(campaign, c.bob).state == "running"
    world.clock.set(D(2026, 12, 9, 10, 0))
    run_scheduler(env)
    bob_trace = traces_of(campaign, c.bob, call)
    assert bob_trace.state == "rejected" and "filter" in bob_trace.state_msg
    assert participant_of(campaign, c.bob).state == "completed"
    with pytest.raises(ValidationError, match="once"):
        env["marketing.participant"].create({"campaign_id": campaign.id, "res_id": c.anna.id})


def test_deleted_records_leave_the_sequence(world):
    env, c = world.env, world.contacts
    campaign, call, _lead = handover_campaign(world)
    campaign.action_start_campaign()
    participant = participant_of(campaign, c.chen)
    c.chen.unlink()
    run_scheduler(env)
    assert participant.state == "unlinked"
    trace = participant.trace_ids
    assert (trace.state, trace.state_msg) == ("canceled", "The record was deleted")
    assert participant.record_name == f"Deleted record #{participant.res_id}"


def test_an_error_marks_its_trace_and_the_others_go_on(world, monkeypatch):
    env, c = world.env, world.contacts
    campaign = make_campaign(env, user_id=world.users.marketer.id)
    lead_step = step(campaign, "Hand over", activity_type="create_lead")
    Activity = type(env["marketing.activity"])  # noqa: N806
    original = Activity._lead_values

    def failing(self, record):
        if record.name == "Bob Stone":
            raise UserError("Bob's company is blocked")
        return original(self, record)

    monkeypatch.setattr(Activity, "_lead_values", failing)
    campaign.action_start_campaign()
    run_scheduler(env)
    bob = traces_of(campaign, c.bob, lead_step)
    assert bob.state == "error"
    assert bob.state_msg == "Hand over failed: Bob's company is blocked"
    assert bob.schedule_date == START
    assert traces_of(campaign, c.anna).state == traces_of(campaign, c.chen).state == "processed"
    assert env["crm.lead"].search_count(
        [("campaign_id", "=", campaign.utm_campaign_id.id)]) == 2
    assert participant_of(campaign, c.bob).state == "completed"
    assert lead_step.errors == 1 and lead_step.processed == 2


def test_a_contact_is_in_one_running_step(world):
    """Two alternative branches after the first step, a day and two days later:
    the first to run wins, the other is canceled, and the contact never waits at
    two steps at once."""
    env, c = world.env, world.contacts
    campaign = make_campaign(env, user_id=world.users.marketer.id)
    first = step(campaign, "Qualify", activity_type="schedule_activity")
    fast = step(campaign, "Fast track", activity_type="schedule_activity",
                trigger_type="activity", parent_id=first.id, interval_number=1)
    slow = step(campaign, "Slow track", activity_type="schedule_activity",
                trigger_type="activity", parent_id=first.id, interval_number=2)
    step(campaign, "Fast lead", activity_type="create_lead", trigger_type="activity",
         parent_id=fast.id, interval_number=3)
    step(campaign, "Slow lead", activity_type="create_lead", trigger_type="activity",
         parent_id=slow.id, interval_number=3)
    reminder = step(campaign, "Reminder", activity_type="schedule_activity",
                    trigger_type="activity", parent_id=first.id, interval_number=1)

    def running_steps(participant):
        scheduled = participant.trace_ids.filtered(lambda t: t.state == "scheduled")
        return scheduled.mapped("parent_id")

    campaign.action_start_campaign()
    run_scheduler(env)                       # Qualify
    for participant in campaign.participant_ids:
        assert len(running_steps(participant)) == 1
        assert participant.current_activity_id == first
    world.clock.advance(days=1)
    run_scheduler(env)                       # Fast track and Reminder (a leaf) run
    participant = participant_of(campaign, c.anna)
    assert running_steps(participant).mapped("activity_id") == fast
    assert participant.current_activity_id == fast
    slow_trace = traces_of(campaign, c.anna, slow)
    assert (slow_trace.state, slow_trace.state_msg) == ("canceled", "Moved on to Fast track")
    assert traces_of(campaign, c.anna, reminder).state == "processed"
    world.clock.advance(days=3)
    run_scheduler(env)
    assert set(campaign.participant_ids.mapped("state")) == {"completed"}
    assert [t.activity_id.name for t in participant.trace_ids.filtered(
        lambda t: t.state == "processed").sorted("id")] == \
        ["Qualify", "Fast track", "Reminder", "Fast lead"]


def test_stopped_campaigns_do_not_run(world):
    env = world.env
    campaign, call, _lead = handover_campaign(world)
    campaign.action_start_campaign()
    campaign.action_stop_campaign()
    world.clock.advance(days=3)
    run_scheduler(env)
    assert call.processed == 0 and call.waiting == 3
    campaign.action_start_campaign()                # resumed: the late steps run now
    run_scheduler(env)
    assert call.processed == 3


def test_a_participant_taken_out_by_hand(world):
    env, c = world.env, world.contacts
    campaign, call, _lead = handover_campaign(world)
    campaign.action_start_campaign()
    participant = participant_of(campaign, c.anna)
    participant.with_user(world.users.marketer).action_set_completed()
    assert participant.state == "completed"
    trace = participant.trace_ids
    assert trace.state == "canceled" and trace.state_msg == \
        "Removed from the sequence by Marketer"
    world.clock.advance(days=3)
    run_scheduler(env)
    assert not env["mail.activity"].search([("res_model", "=", "res.partner"),
                                            ("res_id", "=", c.anna.id)])


def test_enrolment_sees_what_the_responsible_may_see(world):
    """A sequence on leads enrols the leads its responsible may read."""
    env, users = world.env, world.users
    Lead = env["crm.lead"]  # noqa: N806
    mine = Lead.create({"name": "Mei's lead", "user_id": users.mei.id, "type": "lead"})
    theirs = Lead.create({"name": "Tom's lead", "user_id": users.tom.id, "type": "lead"})
    campaign = make_campaign(env, model="crm.lead", domain="[('type', '=', 'lead')]",
                             user_id=users.mei.id)
    step(campaign, "Follow up", activity_type="schedule_activity")
    campaign.action_start_campaign()
    enrolled = set(campaign.participant_ids.mapped("res_id"))
    assert mine.id in enrolled and theirs.id not in enrolled
    run_scheduler(env)
    todo = env["mail.activity"].search([("res_model", "=", "crm.lead"),
                                        ("res_id", "=", mine.id)])
    assert todo.user_id == users.mei and todo.summary == "Follow up"


def test_marketing_users_drive_sequences_others_do_not(world):
    env, users = world.env, world.users
    campaign = make_campaign(env(user=users.marketer.id), user_id=users.marketer.id)
    step(campaign, "Call", activity_type="schedule_activity")
    campaign.action_start_campaign()
    assert campaign.execute_activities() == 3
    outsider = make_user(env, "outsider")
    from core.exceptions import AccessError

    with pytest.raises(AccessError):
        campaign.with_user(outsider).execute_activities()
    with pytest.raises(AccessError):
        env["marketing.campaign"].with_user(outsider).search([])


def test_what_is_refused(world):
    env = world.env
    with pytest.raises(ValidationError, match="filter of campaign Bad is not valid"):
        make_campaign(env, name="Bad", domain="[('nope', '=', 1)]")
    with pytest.raises(ValidationError, match="filter of campaign Evil is not valid"):
        make_campaign(env, name="Evil", domain="__import__('os').system('true')")
    with pytest.raises(ValidationError, match="targets contacts, customers or leads"):
        make_campaign(env, name="Users", model="res.users", domain="[]")
    campaign = make_campaign(env)
    with pytest.raises(UserError, match="no step"):
        campaign.action_start_campaign()
    first = step(campaign, "First", activity_type="schedule_activity")
    with pytest.raises(ValidationError, match="starts the sequence"):
        step(campaign, "Second", activity_type="schedule_activity", parent_id=first.id)
    with pytest.raises(ValidationError, match="choose which one"):
        step(campaign, "Orphan", activity_type="schedule_activity", trigger_type="activity")
    with pytest.raises(ValidationError, match="sends no e-mail"):
        step(campaign, "Opened", activity_type="create_lead", trigger_type="mail_open",
             parent_id=first.id)
    with pytest.raises(ValidationError, match="cannot be negative"):
        step(campaign, "Past", activity_type="create_lead", trigger_type="activity",
             parent_id=first.id, interval_number=-1)
    child = step(campaign, "Child", activity_type="create_lead", trigger_type="activity",
                 parent_id=first.id)
    with pytest.raises(ValidationError, match="after itself"):
        first.write({"trigger_type": "activity", "parent_id": child.id})
    other = make_campaign(env, name="Other")
    with pytest.raises(ValidationError, match="a step of another campaign"):
        step(other, "Cross", activity_type="create_lead", trigger_type="activity",
             parent_id=first.id)
    leads = make_campaign(env, name="Leads", model="crm.lead", domain="[]")
    with pytest.raises(ValidationError, match="already are leads"):
        step(leads, "Lead of a lead", activity_type="create_lead")
    campaign.action_start_campaign()
    with pytest.raises(UserError, match="cannot change"):
        campaign.model_id = env["ir.model"]._get_id("crm.lead")
    assert campaign.model_name == "res.partner"      # the database is as it was


def test_scheduler_queries_stay_flat_per_batch(world):
    """The queries of a scheduler run do not grow with the contacts of a batch."""
    env = world.env
    Partner = env["res.partner"]  # noqa: N806

    def run(count: int) -> int:
        tag = env["res.partner.category"].create({"name": f"Flat {count}"})
        Partner.create([{"name": f"Flat {count} #{i}", "email": f"f{count}.{i}@x.example",
                         "category_id": [(6, 0, [tag.id])]} for i in range(count)])
        campaign = make_campaign(env, name=f"Flat {count}",
                                 domain=f"[('category_id.name', '=', 'Flat {count}')]",
                                 user_id=world.users.marketer.id)
        lead_step = step(campaign, "Hand over", activity_type="create_lead")
        call = step(campaign, "Call", activity_type="schedule_activity",
                    trigger_type="activity", parent_id=lead_step.id)
        campaign.action_start_campaign()
        env.flush_all()
        with QueryCounter(env.transaction.connection.engine) as counter:
            campaign.execute_activities()
            env.flush_all()
        assert lead_step.processed == call.processed == count
        return counter.count

    small, large = run(10), run(40)
    assert large <= small + 5, (small, large)


def test_a_campaign_that_cannot_enrol_does_not_stop_the_others(world, monkeypatch):
    env = world.env
    broken = make_campaign(env, name="Broken")
    step(broken, "Call", activity_type="schedule_activity")
    campaign, call, _lead = handover_campaign(world)
    broken.action_start_campaign()
    campaign.action_start_campaign()
    dora = env["res.partner"].create({"name": "Dora Ng",
                                      "category_id": [(6, 0, [world.fair.id])]})
    Campaign = type(env["marketing.campaign"])  # noqa: N806
    original = Campaign._enrol

    def enrol(self, now):
        if self.name == "Broken":
            raise UserError("The filter names a field that is gone")
        return original(self, now)

    monkeypatch.setattr(Campaign, "_enrol", enrol)
    world.clock.advance(days=2)
    run_scheduler(env)
    assert participant_of(campaign, dora).state == "running"       # enrolled all the same
    assert call.processed == 3 and traces_of(campaign, dora, call).state == "scheduled"
    assert not participant_of(broken, dora)
    assert broken.mapped("marketing_activity_ids.processed") == [3]  # its due steps ran
