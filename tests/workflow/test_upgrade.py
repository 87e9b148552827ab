"""Upgrading an addon whose workflow changes (tw_ticket 1.0 in
tests/addons_workflow, 1.1 in tests/addons_workflow_v2 without the
"waiting" state). Records in states that remain stay; an upgrade that would
strand records in a removed state is refused and changes nothing, unless a
pre-migration maps them."""

from __future__ import annotations

import shutil

import pytest

from core.modules.data import DataError
from core.modules.manager import open_database
from tests.fixtures import fresh_database_url
from tests.modules.common import addons_path, module_states, snapshot
from tests.workflow.conftest import ADDONS, ADDONS_V2

V1 = addons_path(ADDONS)
V2 = addons_path(ADDONS_V2, ADDONS)     # the first path wins for tw_ticket


@pytest.fixture
def tickets(backend, tmp_path):
    """(url, {name: id}) of a database with tw_ticket 1.0 and a ticket per state."""
    with fresh_database_url(backend, str(tmp_path)) as url:
        db = open_database(url, V1)
        db.install(["tw_ticket"])
        with db.env() as env:
            Tickets = env["tw.ticket"]  # noqa: N806
            ids = {}
            for name, triggers in [("new", []), ("open", ["action_open"]),
                                   ("waiting", ["action_open", "action_wait"]),
                                   ("waiting too", ["action_open", "action_wait"]),
                                   ("done", ["action_open", "action_close"])]:
                ticket = Tickets.create({"name": name})
                for trigger in triggers:
                    ticket.workflow_trigger(trigger)
                ids[name] = ticket.id
        db.close()
        yield url, ids


def states(db, ids) -> dict:
    with db.env() as env:
        return {name: env["tw.ticket"].browse(id_).state for name, id_ in ids.items()}


def test_upgrade_stranding_records_is_refused(tickets, tmp_path):
    url, ids = tickets
    v2 = tmp_path / "addons" / "tw_ticket"
    shutil.copytree(ADDONS_V2 / "tw_ticket", v2)
    shutil.rmtree(v2 / "migrations")
    engine_db = open_database(url, V1, upgrade=False)
    before = snapshot(engine_db.engine)
    with pytest.raises(DataError) as info:
        open_database(url, addons_path(tmp_path / "addons", ADDONS))
    message = str(info.value)
    assert str(v2 / "data" / "ticket_workflow.xml") + ":3: " in message
    assert ("the workflow of tw.ticket no longer has the state 'waiting', but 2 record(s) "
            "are in it") in message
    assert "pre-migration script" in message
    assert snapshot(engine_db.engine) == before
    assert module_states(engine_db.engine)["tw_ticket"] == ("installed", "1.0")
    engine_db.close()
    db = open_database(url, V1)          # the old code still works on it
    try:
        assert states(db, ids)["waiting"] == "waiting"
        with db.env() as env:
            env["tw.ticket"].browse(ids["waiting"]).action_resume()
    finally:
        db.close()


def test_upgrade_with_a_migration_mapping_the_records(tickets):
    url, ids = tickets
    db = open_database(url, V2)
    try:
        assert module_states(db.engine)["tw_ticket"] == ("installed", "1.1")
        assert states(db, ids) == {"new": "new", "open": "open", "waiting": "open",
                                   "waiting too": "open", "done": "done"}
        with db.env() as env:
            Tickets = env["tw.ticket"]  # noqa: N806
            assert [s["name"] for s in Tickets.workflow_states()] == ["new", "open", "done"]
            assert not hasattr(type(Tickets), "action_wait")      # no longer a trigger
            flow = env.ref("tw_ticket.ticket_flow")
            assert sorted(flow.transition_ids.mapped("trigger")) == ["action_close",
                                                                     "action_open"]
            # the audit trail is kept
            trail = env["ir.workflow.history"].search([("model", "=", "tw.ticket"),
                                                       ("res_id", "=", ids["waiting"])])
            assert sorted(trail.mapped("to_state")) == ["open", "waiting"]
            Tickets.browse(ids["waiting"]).action_close()
            assert Tickets.browse(ids["waiting"]).state == "done"
    finally:
        db.close()


def test_upgrade_keeping_the_states_keeps_the_records(tickets):
    url, ids = tickets
    db = open_database(url, V1)
    try:
        with db.env() as env:
            old_transitions = env.ref("tw_ticket.ticket_flow").transition_ids.ids
        assert db.upgrade(["tw_ticket"]) == ["tw_ticket"]
        assert states(db, ids) == {"new": "new", "open": "open", "waiting": "waiting",
                                   "waiting too": "waiting", "done": "done"}
        with db.env() as env:
            flow = env.ref("tw_ticket.ticket_flow")
            assert len(flow.transition_ids) == 4
            assert not set(flow.transition_ids.ids) & set(old_transitions)
            env["tw.ticket"].browse(ids["waiting"]).action_resume()
    finally:
        db.close()
