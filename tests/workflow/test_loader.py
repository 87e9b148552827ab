"""Load-time checks of the <workflow> element: each small addon of
tests/addons_workflow_bad declares one broken workflow on twb_model's
twb.doc; installing it fails with the file, the line and the reason, and
changes nothing."""

from __future__ import annotations

import pytest

from core.modules.data import DataError
from tests.modules.common import module_states, snapshot
from tests.workflow.conftest import ADDONS_BAD, line_of

CASES = {
    # addon: (text on the line named, reason)
    "twb_unknown_state": ('to="archived"', "state 'archived' is not declared in this workflow"),
    "twb_state_not_in_selection": ('name="archived"', "state 'archived' is not a value of "
                                                      "twb.doc.state (['draft', 'done'])"),
    "twb_two_initial": ('name="done"', "a second initial state ('done' after 'draft')"),
    "twb_private_trigger": ('trigger="_finish"', "trigger '_finish' must be a public method "
                                                 "name"),
    "twb_trigger_clash": ('trigger="write"', "trigger 'write' is taken by a field or a method"),
    "twb_unknown_group": ("group_nobody", "groups: external id twb_model.group_nobody not "
                                          "found"),
    "twb_bad_condition": ("colour", "condition: Invalid field 'colour' on model 'twb.doc'"),
    "twb_activity_no_mail": ("activity=", "activities need twb.doc to be a "
                                          "mail.activity.mixin (install the mail addon)"),
    "twb_bad_approval": ('approvals="2"', 'approvals="N" needs approval="group"'),
    "twb_on_enter_two": ("<on_enter", "<on_enter> does one thing, not method and message"),
    "twb_unknown_method": ("_on_done", "twb.doc has no method '_on_done'"),
    "twb_two_workflows": ('id="other_flow"', "twb.doc has a workflow already (doc_flow); a "
                                             "model has one workflow"),
}


@pytest.fixture
def database(installed_db):
    return installed_db(("twb_model",), addons_path=str(ADDONS_BAD))


@pytest.mark.parametrize("addon", sorted(CASES))
def test_broken_workflow_is_refused_with_file_and_line(database, addon):
    text, reason = CASES[addon]
    path = ADDONS_BAD / addon / "data" / "flow.xml"
    with pytest.raises(DataError) as info:
        database.install([addon])
    message = str(info.value)
    assert f"{path}:{line_of(path, text)}: " in message
    assert reason in message
    assert module_states(database.engine)[addon][0] == "uninstalled"
    with database.env() as env:
        assert not env["ir.workflow"].search([("model", "=", "twb.doc")])
        assert not hasattr(type(env["twb.doc"]), "action_done")


def test_a_refused_install_changes_nothing(database):
    before = snapshot(database.engine)
    with pytest.raises(DataError):
        database.install(["twb_unknown_group"])
    assert snapshot(database.engine) == before
