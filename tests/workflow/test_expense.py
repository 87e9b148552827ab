"""The expense example of DESIGN.md ("Workflows") end to end, with three users:
an employee submits, the manager approves (alone under 10,000, followed by
finance above), either may reject with a reason. Both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import AccessError, UserError
from core.orm import fields
from core.workflow import engine
from tests.workflow.conftest import history


@pytest.fixture
def expense(env, users):
    """An expense of the employee, waiting for the manager's approval."""
    def make(amount: float = 500.0, submit: bool = True, name: str = "Train ticket"):
        record = env["tw.expense"].with_user(users.employee).create(
            {"name": name, "amount": amount, "manager_id": users.manager.id})
        if submit:
            record.action_submit()
        return record
    return make


def test_under_10000_needs_the_manager_only(env, users, expense):
    claim = env["tw.expense"].with_user(users.employee).create(
        {"name": "Hotel", "amount": 800.0, "manager_id": users.manager.id})
    assert claim.state == "draft"
    assert claim.action_submit() is True
    assert claim.state == "manager"
    claim.with_user(users.manager).action_approve()
    assert claim.state == "approved"
    assert claim.paid    # on_enter method="_on_approved"
    assert [(h.from_state, h.to_state, h.user_id) for h in history(claim)] == [
        ("draft", "manager", users.employee), ("manager", "approved", users.manager)]


def test_over_10000_needs_the_manager_then_finance(env, users, expense):
    claim = expense(amount=25_000.0)
    claim.with_user(users.manager).action_approve()
    assert claim.state == "finance"
    assert not claim.paid
    with pytest.raises(AccessError, match="not allowed to do 'action_approve'"):
        claim.with_user(users.manager).action_approve()
    with pytest.raises(AccessError):
        claim.with_user(users.employee).action_approve()
    claim.with_user(users.finance).action_approve()
    assert claim.state == "approved" and claim.paid
    assert [(h.from_state, h.to_state, h.user_id.login) for h in history(claim)] == [
        ("draft", "manager", "employee"), ("manager", "finance", "manager"),
        ("finance", "approved", "finance")]


def test_exactly_10000_is_the_managers(env, users, expense):
    claim = expense(amount=10_000.0)
    claim.with_user(users.manager).action_approve()
    assert claim.state == "approved"


def test_wrong_group_is_an_access_error(env, users, expense):
    claim = expense()
    for user in (users.employee, users.finance):
        with pytest.raises(AccessError) as info:
            claim.with_user(user).action_approve()
        message = str(info.value)
        assert "Train ticket" in message and "Manager approval" in message
    assert claim.state == "manager"
    assert len(history(claim)) == 1


def test_false_condition_is_a_user_error(env, users, expense):
    claim = expense(amount=0.0, submit=False)
    with pytest.raises(UserError, match="conditions of 'action_submit' are not met"):
        claim.action_submit()
    assert claim.state == "draft"
    claim.amount = 12.5
    claim.action_submit()
    assert claim.state == "manager"


def test_wrong_state_is_a_user_error(env, users, expense):
    draft = expense(submit=False)
    with pytest.raises(UserError, match="'action_approve' is not possible in the state 'Draft'"):
        draft.with_user(users.manager).action_approve()
    done = expense()
    done.with_user(users.manager).action_approve()
    for trigger in ("action_submit", "action_approve", "action_reject"):
        with pytest.raises(UserError, match="state 'Approved'"):
            done.with_user(users.manager).workflow_trigger(trigger)
    with pytest.raises(UserError, match="'action_fly' is not an action of the workflow"):
        done.workflow_trigger("action_fly")


def test_refusals_that_are_not_about_rights_are_not_access_errors(env, users, expense):
    """A wrong state, a false condition, a missing reason: UserError, not its
    AccessError subclass (which the wrong group raises)."""
    draft, empty = expense(submit=False), expense(amount=0.0, submit=False)
    for call in (lambda: draft.with_user(users.manager).action_approve(),
                 lambda: empty.action_submit(),
                 lambda: expense().with_user(users.manager).action_reject()):
        with pytest.raises(UserError) as info:
            call()
        assert type(info.value) is UserError


def test_rejection_needs_a_reason(env, users, expense):
    claim = expense()
    with pytest.raises(UserError) as info:
        claim.with_user(users.manager).action_reject()
    assert "'Reject' needs a value for Reject Reason" in str(info.value)
    assert claim.state == "manager"
    claim.with_user(users.manager).action_reject(values={"reject_reason": "No receipt"},
                                                 comment="Ask for the receipt")
    assert claim.state == "rejected"
    assert claim.reject_reason == "No receipt"
    last = history(claim)[-1]
    assert (last.from_state, last.to_state, last.trigger, last.comment) == (
        "manager", "rejected", "action_reject", "Ask for the receipt")


def test_finance_may_reject_too(env, users, expense):
    claim = expense(amount=50_000.0)
    claim.with_user(users.manager).action_approve()
    claim.reject_reason = "Over budget"
    claim.with_user(users.finance).workflow_trigger("action_reject")
    assert claim.state == "rejected"


def test_a_refused_trigger_writes_nothing(env, users, expense):
    claim = expense()
    with pytest.raises(AccessError):
        claim.with_user(users.employee).action_reject(values={"reject_reason": "mine"})
    assert not claim.reject_reason
    assert claim.state == "manager"
    # several records: all move, or none
    ok, empty = expense(submit=False), expense(amount=0.0, submit=False)
    both = ok | empty
    with pytest.raises(UserError, match="conditions"):
        both.action_submit()
    assert both.mapped("state") == ["draft", "draft"]
    assert history(ok) == []
    empty.amount = 1.0
    both.action_submit()
    assert both.mapped("state") == ["manager", "manager"]


def test_audit_trail(env, users, expense):
    before = fields.Datetime.now() - dt.timedelta(seconds=1)
    claim = expense(amount=20_000.0)
    claim.with_user(users.manager).action_approve(comment="Checked the invoice")
    claim.with_user(users.finance).action_approve()
    after = fields.Datetime.now() + dt.timedelta(seconds=1)
    rows = history(claim)
    assert [(r.from_state, r.to_state, r.trigger, r.user_id) for r in rows] == [
        ("draft", "manager", "action_submit", users.employee),
        ("manager", "finance", "action_approve", users.manager),
        ("finance", "approved", "action_approve", users.finance)]
    assert all(before <= r.date <= after for r in rows)
    assert [r.comment for r in rows] == [
        False, "Checked the invoice",
        "Expense approved."]     # on_enter message: no chatter, so the audit trail
    assert all(r.workflow_id == env.ref("tw_expense.expense_flow") for r in rows)
    assert all(not r.approver_ids for r in rows)     # no approval step in this flow
    # the employee may read the trail of the expense
    trail = env["ir.workflow.history"].with_user(users.employee).search(
        [("model", "=", "tw.expense"), ("res_id", "=", claim.id)])
    assert len(trail) == 3


def test_direct_state_writes_are_refused(env, users, expense):
    claim = expense()
    admin = env.ref("base.user_admin")
    for user in (users.employee, users.manager, users.finance, admin):
        with pytest.raises(AccessError, match="moves only through its workflow"):
            claim.with_user(user).write({"state": "approved"})
        with pytest.raises(AccessError, match="moves only through its workflow"):
            claim.with_user(user).state = "approved"
    assert claim.state == "manager"
    # other fields stay writable
    claim.with_user(users.employee).write({"name": "Train ticket (return)"})
    assert claim.name == "Train ticket (return)"


def test_creating_in_another_state_is_refused(env, users):
    Expenses = env["tw.expense"].with_user(users.employee)  # noqa: N806
    with pytest.raises(AccessError, match="starts in the state 'Draft'"):
        Expenses.create({"name": "Sneaky", "amount": 5, "state": "approved"})
    assert Expenses.create({"name": "Explicit", "state": "draft"}).state == "draft"
    assert Expenses.create({"name": "Default"}).state == "draft"


def test_sudo_may_write_the_state(env, users, expense):
    claim = expense()
    claim.with_user(users.employee).sudo().write({"state": "approved"})
    assert claim.state == "approved"
    assert len(history(claim)) == 1      # not a transition: no audit row, no on_enter
    assert not claim.paid
    imported = env["tw.expense"].create({"name": "Imported", "state": "rejected"})
    assert imported.state == "rejected"  # env is a superuser environment


def test_copy_starts_in_the_initial_state(env, users, expense):
    claim = expense()
    claim.with_user(users.manager).action_approve()
    copy = claim.with_user(users.employee).copy()
    assert (copy.state, copy.amount) == ("draft", claim.amount)
    assert env["tw.expense"].browse(claim.id).copy({"state": "rejected"}).state == "rejected"


def test_buttons_per_user_and_state(env, users, expense):
    def triggers(record, user):
        return [(b["trigger"], b["to"]) for b in record.with_user(user).workflow_buttons()]

    draft = expense(submit=False)
    assert triggers(draft, users.employee) == [("action_submit", "manager")]
    small, big = expense(amount=100.0), expense(amount=90_000.0)
    assert triggers(small, users.employee) == []
    assert triggers(small, users.manager) == [("action_approve", "approved"),
                                              ("action_reject", "rejected")]
    assert triggers(big, users.manager) == [("action_approve", "finance"),
                                            ("action_reject", "rejected")]
    assert triggers(small, users.finance) == [("action_reject", "rejected")]
    big.with_user(users.manager).action_approve()
    assert triggers(big, users.manager) == [("action_reject", "rejected")]
    assert triggers(big, users.finance) == [("action_approve", "approved"),
                                            ("action_reject", "rejected")]
    big.with_user(users.finance).action_approve()
    for user in (users.employee, users.manager, users.finance):
        assert triggers(big, user) == []
    button = small.with_user(users.manager).workflow_buttons()[1]
    assert button == {"trigger": "action_reject", "string": "Reject", "to": "rejected",
                      "to_string": "Rejected", "required": ["reject_reason"],
                      "approval": "none"}


def test_states_for_the_status_bar(env):
    expected = [("draft", "Draft", True, False, False),
                ("manager", "Manager approval", False, False, False),
                ("finance", "Finance approval", False, False, False),
                ("approved", "Approved", False, True, True),
                ("rejected", "Rejected", False, True, True)]
    found = engine.states(env["tw.expense"])
    assert [(s["name"], s["string"], s["initial"], s["final"], s["folded"])
            for s in found] == expected
    assert [s["value"] for s in found] == [s[0] for s in expected]
    assert env["tw.expense"].workflow_states() == found
    assert engine.states(env["res.partner"]) == []
    assert env["res.partner"].browse().workflow_states() == []


def test_generated_trigger_methods(env, users):
    Expense = type(env["tw.expense"])  # noqa: N806
    # generated: a class of trigger methods last in the model's MRO, so that
    # tw_expense's own action_submit comes first and reaches it with super()
    generated = Expense.__mro__[-2]
    assert generated.__name__ == "tw_expense_workflow_triggers"
    assert sorted(n for n in vars(generated) if n.startswith("action_")) == [
        "action_approve", "action_reject", "action_submit"]
    assert Expense.action_submit is not generated.action_submit
    assert not hasattr(type(env["res.partner"]), "action_approve")
    claim = env["tw.expense"].with_user(users.employee).create({"name": "Taxi", "amount": 30})
    claim.action_submit()
    assert claim.manager_id == users.employee     # set by the model's own action_submit
    with pytest.raises(UserError, match="has no workflow"):
        env["res.partner"].create({"name": "P"}).workflow_trigger("action_approve")


def test_the_trigger_by_name_is_the_same(env, users, expense):
    claim = expense()
    assert claim.with_user(users.manager).workflow_trigger("action_approve") is True
    assert claim.state == "approved"
