"""Approvals (tw_approval's purchases): by the user named in a field of the
record, by N distinct members of a group, by one member of an approving
group; the engine records who approved. On-enter actions: a method, a
message (to the record's chatter when it has one), an activity."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import AccessError, UserError
from core.modules.data import DataLoader
from core.workflow import engine
from tests.workflow.conftest import ADDONS, history


@pytest.fixture
def purchase(env, users):
    def make(amount: float = 1000.0, manager=None, submit: bool = True):
        record = env["tw.purchase"].with_user(users.employee).create({
            "name": f"Purchase of {amount:g}", "amount": amount,
            "manager_id": (manager or users.manager).id})
        if submit:
            record.action_submit()
        return record
    return make


def approvals(record) -> list:
    return [(a.user_id.login, a.trigger, a.to_state, a.consumed) for a in
            record.env["ir.workflow.approval"].sudo().search(
                [("model", "=", record._name), ("res_id", "=", record.id)], order="id")]


def test_field_approval_only_by_the_named_user(env, users, purchase):
    order = purchase()
    for user in (users.employee, users.board1, users.finance):
        with pytest.raises(AccessError, match=r"only the approver named on the record "
                                              r"\(Manager\)"):
            order.with_user(user).action_approve()
    assert order.state == "submitted"
    order.with_user(users.manager).action_approve()
    assert order.state == "approved"
    last = history(order)[-1]
    assert (last.from_state, last.to_state, last.user_id) == (
        "submitted", "approved", users.manager)
    assert last.approver_ids == users.manager
    assert approvals(order) == [("manager", "action_approve", "approved", True)]


def test_field_approval_without_anybody_named(env, users, purchase):
    order = env["tw.purchase"].with_user(users.employee).create({"name": "Nobody", "amount": 5})
    order.action_submit()
    with pytest.raises(AccessError, match="nobody yet"):
        order.with_user(users.manager).action_approve()
    assert order.with_user(users.manager).workflow_buttons() == [
        {"trigger": "action_cancel", "string": "Cancel", "to": "cancelled",
         "to_string": "Cancelled", "required": [], "approval": "none"}]


def test_two_distinct_board_members(env, users, purchase):
    order = purchase(amount=9000.0)
    order.with_user(users.manager).action_approve()
    assert order.state == "board"
    assert order.with_user(users.board1).action_board_approve() is True
    assert order.state == "board"                  # one of two: recorded, no move
    assert len(history(order)) == 2
    assert approvals(order)[-1] == ("board1", "action_board_approve", "approved", False)
    with pytest.raises(UserError, match="approved 'Board approval' already; waiting for 1 "
                                        "more approval"):
        order.with_user(users.board1).action_board_approve()
    with pytest.raises(AccessError):               # not in the group
        order.with_user(users.employee).action_board_approve()
    with pytest.raises(AccessError):
        order.with_user(users.manager).action_board_approve()
    assert order.state == "board"
    order.with_user(users.board2).action_board_approve()
    assert order.state == "approved"
    last = history(order)[-1]
    assert (last.from_state, last.to_state, last.user_id) == ("board", "approved", users.board2)
    assert last.approver_ids == users.board1 | users.board2
    assert [a[3] for a in approvals(order)] == [True, True, True]


def test_approving_group_without_transition_groups(env, users, purchase):
    """action_done: anybody may press it, but only a board member's press counts."""
    order = purchase()
    order.with_user(users.manager).action_approve()
    with pytest.raises(AccessError, match="only members of the approving group"):
        order.with_user(users.employee).action_done()
    with pytest.raises(AccessError, match="only members of the approving group"):
        order.with_user(users.manager).action_done()
    order.with_user(users.board3).action_done()
    assert order.state == "done"
    assert history(order)[-1].approver_ids == users.board3


def test_buttons_follow_the_approvals(env, users, purchase):
    def triggers(record, user):
        return [b["trigger"] for b in record.with_user(user).workflow_buttons()]

    order = purchase(amount=9000.0)
    assert triggers(order, users.employee) == ["action_cancel"]
    assert triggers(order, users.board1) == ["action_cancel"]
    assert triggers(order, users.manager) == ["action_approve", "action_cancel"]
    button = order.with_user(users.manager).workflow_buttons()[0]
    assert (button["approval"], button["approvals_needed"], button["approved_by"]) == (
        "field", 1, [])
    order.with_user(users.manager).action_approve()
    assert triggers(order, users.manager) == ["action_cancel"]
    board = order.with_user(users.board2).workflow_buttons()[0]
    assert (board["trigger"], board["approvals_needed"], board["approved_by"]) == (
        "action_board_approve", 2, [])
    order.with_user(users.board1).action_board_approve()
    assert triggers(order, users.board1) == ["action_cancel"]     # approved already
    board = order.with_user(users.board2).workflow_buttons()[0]
    assert board["approved_by"] == [users.board1.id]


def test_approvals_do_not_outlive_the_state(env, users, purchase):
    """An approval given in a state counts only until the record leaves it:
    cancelled, reset and resubmitted, the board starts afresh."""
    order = purchase(amount=9000.0)
    order.with_user(users.manager).action_approve()
    order.with_user(users.board1).action_board_approve()
    order.action_cancel()
    order.action_reset()
    order.action_submit()
    order.with_user(users.manager).action_approve()
    assert order.state == "board"
    order.with_user(users.board2).action_board_approve()
    assert order.state == "board"                 # board1's old approval is used up
    order.with_user(users.board1).action_board_approve()
    assert order.state == "approved"
    assert history(order)[-1].approver_ids == users.board1 | users.board2


def test_approvals_survive_reloading_the_workflow(env, users, purchase):
    """An upgrade of the addon re-creates the transition records: approvals
    already given still count."""
    order = purchase(amount=9000.0)
    order.with_user(users.manager).action_approve()
    order.with_user(users.board1).action_board_approve()
    transitions = env.ref("tw_approval.purchase_flow").transition_ids
    loader = DataLoader(env, "tw_approval", mode="update", module_path=ADDONS / "tw_approval")
    loader.load_file(ADDONS / "tw_approval" / "data" / "purchase_workflow.xml")
    assert not transitions.exists()
    order.with_user(users.board2).action_board_approve()
    assert order.state == "approved"
    assert history(order)[-1].approver_ids == users.board1 | users.board2


def test_on_enter_method_message_and_activity(env, users, purchase):
    order = purchase(amount=9000.0)
    order.with_user(users.manager).action_approve()
    deadline = dt.date.today() + dt.timedelta(days=2)
    assert order.activity_log == f"Board review|manager|{deadline.isoformat()}"
    assert order.approved_count == 0
    order.with_user(users.board1).action_board_approve()
    order.with_user(users.board2).action_board_approve()
    assert order.approved_count == 1          # on_enter method
    assert order.log == "Purchase approved."  # the model's chatter took the message ...
    assert not history(order)[-1].comment     # ... so the audit trail does not repeat it


def test_sudo_approves_without_being_named(env, users, purchase):
    """Code running with sudo() bypasses the approval rules; the approver
    recorded is the environment's user."""
    order = purchase(amount=9000.0)
    order.sudo().action_approve()
    assert order.state == "board"
    assert history(order)[-1].approver_ids == users.employee
    env["tw.purchase"].browse(order.id).action_board_approve()   # superuser: 1 of 2
    assert order.state == "board"


def test_workflow_records(env):
    flow = env.ref("tw_approval.purchase_flow")
    board = flow.transition_ids.filtered(lambda t: t.trigger == "action_board_approve")
    assert (board.approval, board.approval_count, board.approval_group_id.id) == (
        "group", 2, False)
    assert board.group_ids == env.ref("tw_approval.group_board")
    done = flow.transition_ids.filtered(lambda t: t.trigger == "action_done")
    assert (done.approval, done.approval_group_id) == ("group", env.ref("tw_approval.group_board"))
    field = flow.transition_ids.filtered(lambda t: t.trigger == "action_approve")
    assert set(field.mapped("approval_field")) == {"manager_id"}
    assert [a.kind for a in flow.action_ids] == ["method", "message", "activity"]
    loaded = engine.workflow_of(env["tw.purchase"])
    assert [t.trigger for t in loaded.transitions][:3] == [
        "action_submit", "action_approve", "action_approve"]


def test_workflow_on_a_many2one_state_field(env, users):
    """tw.card's states are tw.stage records, named by external id in the XML
    (short or full: stored in full)."""
    todo, doing, done = (env.ref(f"tw_approval.stage_{n}") for n in ("todo", "doing", "done"))
    Cards = env["tw.card"].with_user(users.employee)  # noqa: N806
    card = Cards.create({"name": "Card"})
    assert card.stage_id == todo
    assert Cards.create({"name": "Explicit", "stage_id": todo.id}).stage_id == todo
    with pytest.raises(AccessError, match="starts in the state 'To do'"):
        Cards.create({"name": "Sneaky", "stage_id": done.id})
    with pytest.raises(AccessError, match="moves only through its workflow"):
        card.stage_id = done
    assert [b["trigger"] for b in card.workflow_buttons()] == ["action_start"]
    with pytest.raises(UserError, match="not possible in the state 'To do'"):
        card.action_finish()
    card.action_start()
    assert card.stage_id == doing
    card.action_finish()
    assert card.stage_id == done
    assert [(h.from_state, h.to_state) for h in history(card)] == [
        ("tw_approval.stage_todo", "tw_approval.stage_doing"),
        ("tw_approval.stage_doing", "tw_approval.stage_done")]
    assert [(s["name"], s["value"], s["folded"]) for s in Cards.workflow_states()] == [
        ("tw_approval.stage_todo", todo.id, False),
        ("tw_approval.stage_doing", doing.id, False),
        ("tw_approval.stage_done", done.id, True)]
    copy = card.copy()
    assert copy.stage_id == todo


def test_taking_a_transition_needs_write_access(env, users, purchase):
    """A portal user may read purchases (tw_approval's access rights), not write
    them: no button, and a trigger is refused even without groups."""
    portal = env["res.users"].create({
        "name": "Portal", "login": "portal_reader",
        "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
    order = purchase()
    seen = order.with_user(portal)
    assert seen.state == "submitted"
    assert seen.workflow_buttons() == []
    with pytest.raises(AccessError, match="not allowed to modify"):
        seen.action_cancel()
    assert order.state == "submitted"


def test_activity_without_a_user_in_the_field_goes_to_the_user(env, users):
    order = env["tw.purchase"].with_user(users.employee).create({"name": "No manager",
                                                                 "amount": 9000})
    order.action_submit()
    order.sudo().action_approve()          # nobody is named: only sudo() passes
    assert order.state == "board"
    assert order.activity_log.split("|")[:2] == ["Board review", "employee"]
