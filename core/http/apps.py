"""The Apps page: install, upgrade and uninstall modules from the browser.

    GET  /web/apps?search=crm&category=Sales      every addon, filtered; the growth guide
    GET  /web/apps/uninstall/<name>               what uninstalling it also removes
    POST /web/apps/install   module=crm           (csrf_token) start an operation
    POST /web/apps/upgrade   module=crm
    POST /web/apps/uninstall module=crm confirm=crm,crm_sale

Only administrators (``base.group_system``) may use it; others get 403.

An operation runs in a thread of the worker that received the POST, on
the worker's database object (``core.modules.manager.Database``), one
at a time per process (the module lock serialises them across processes).
Its progress is streamed back on the POST's own response as JSON lines
(``application/x-ndjson``): ``{"message": "th_notes: loading
data/th_note_data.xml (2/2)", "step": 1, "steps": 1}`` ... then
``{"state": "done", "modules": [...]}`` or ``{"state": "failed",
"error": "..."}``; the page's script (``static/apps/apps.js``) shows them.
Streaming rather than polling a status row works with any number of
workers on any number of hosts, since the worker doing the work answers,
and on SQLite, where the operation's transaction holds the database's
write lock until it commits, so that no other request could read a
progress row meanwhile. Closing the page does not stop the operation.
A POST from a browser without scripts is answered with a redirect to the
page once the operation started. When it commits, the operation bumps
the registry signal and the other workers compose their registry again
at their next request.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import BadRequest, Conflict, Forbidden, NotFound
from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from core.exceptions import UserError
from core.http.web.controller import Page
from core.http.web.i18n import _
from core.modules import graph
from core.modules.manifest import version_tuple

_logger = logging.getLogger("troika.http.apps")
ADMIN_GROUP = "base.group_system"
NDJSON = "application/x-ndjson"
KINDS = ("install", "upgrade", "uninstall")
_STEP = re.compile(r"^\[(\d+)/(\d+)\]")
#: seconds between two "still running" lines of a quiet operation (proxies' idle timeouts)
HEARTBEAT = 10.0


@dataclass(frozen=True)
class Feature:
    label: str
    candidates: tuple[str, ...]      # addon names that provide it, preferred first


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    who: str
    pains: tuple[str, ...]
    advice: str
    features: tuple[Feature, ...]


#: the growth-stage guide: an exporter's pains at each stage and the modules for them
STAGES = (
    Stage("startup", _("Start-up"), _("A small export team or a one-person trading business"),
          (_("Customer information is scattered across mailboxes, chats and spreadsheets"),
           _("Sales follow-up has no order: leads are forgotten"),
           _("Quotations take too long to prepare")),
          _("Start with CRM: managing customers and the sales process well, at the lowest "
            "cost, is what keeps a young exporter alive."),
          (Feature(_("CRM: leads, opportunities and the sales pipeline"), ("crm",)),
           Feature(_("Quotations and sales orders"), ("sale", "sale_management", "crm_sale")))),
    Stage("growing", _("Growing"), _("The team grows and orders multiply"),
          (_("Stock figures are wrong"),
           _("Orders are fulfilled slowly"),
           _("Costs are unclear: nobody knows what an order really earned"),
           _("Departments work past each other and reconciling the books is painful")),
          _("Add ERP: operating efficiency and cost control are now the bottleneck. Stock, "
            "purchasing and accounting work on the same data as sales."),
          (Feature(_("Inventory: warehouses, stock and deliveries"), ("erp_stock", "stock")),
           Feature(_("Purchasing"), ("erp_purchase", "purchase")),
           Feature(_("Invoicing and accounting in several currencies"),
                   ("erp_account", "account")))),
    Stage("mature", _("Mature"), _("A mid-sized or large exporter with several offices"),
          (_("Decisions must rest on data, not on guesses"),
           _("Offices at home and abroad must work as one"),
           _("Approvals wait for days; documents and announcements get lost")),
          _("Integrate all three: ERP as the operational backbone, CRM for customer value "
            "and sales, OA for smooth internal coordination, with data flowing between them."),
          (Feature(_("Approvals: leave, expenses, purchase requests, contracts"),
                   ("oa_approval", "approvals", "oa")),
           Feature(_("Announcements"), ("oa_announcement", "oa")),
           Feature(_("Documents"), ("oa_document", "documents", "oa")),
           Feature(_("Meeting-room and car bookings"), ("oa_booking", "oa")))),
)


class Operation:
    """One module operation of this process and the progress it reported."""

    def __init__(self, kind: str, modules: list[str]):
        self.kind, self.modules = kind, modules
        self.events: list[dict] = []
        self.done = False
        self._condition = threading.Condition()

    def report(self, message: str) -> None:
        event: dict[str, Any] = {"message": message.strip()}
        match = _STEP.match(event["message"])
        if match:
            event.update(step=int(match.group(1)), steps=int(match.group(2)))
        self._add(event)

    def finish(self, event: dict) -> None:
        self._add(event, done=True)

    def _add(self, event: dict, done: bool = False) -> None:
        with self._condition:
            self.events.append(event)
            self.done = self.done or done
            self._condition.notify_all()

    def follow(self, heartbeat: float = HEARTBEAT) -> Iterator[dict]:
        """The events so far, then each new one as it comes, until the end."""
        index = 0
        while True:
            with self._condition:
                if index >= len(self.events) and not self.done:
                    self._condition.wait(heartbeat)
                batch, index = self.events[index:], len(self.events)
                finished = self.done and index >= len(self.events)
            yield from batch or ([] if finished else [{"state": "running"}])
            if finished:
                return


#: one operation at a time in this process
_RUNNING = threading.Lock()


def start_operation(db: Any, kind: str, modules: list[str]) -> Operation:
    """Run ``db.<kind>(modules)`` in a thread; its progress goes to the operation."""
    if kind not in KINDS:
        raise BadRequest()
    if not _RUNNING.acquire(blocking=False):
        raise UserError(_("Another module operation is running; wait for it to end."))
    operation = Operation(kind, modules)
    try:
        # not a daemon: a worker asked to stop lets the operation commit or roll back
        threading.Thread(target=_run, args=(db, operation), daemon=False,
                         name=f"troika-{kind}").start()
    except BaseException:
        _RUNNING.release()
        raise
    return operation


def _run(db: Any, operation: Operation) -> None:
    previous = db.progress

    def progress(message: str) -> None:
        operation.report(message)
        previous(message)

    try:
        db.progress = progress
        db.addons = graph.discover(db.addons_paths)      # addons added since the start
        done = getattr(db, operation.kind)(operation.modules)
        operation.finish({"state": "done", "modules": done})
    except UserError as exc:
        operation.finish({"state": "failed", "error": str(exc)})
    except Exception:  # noqa: BLE001 - reported with a reference, logged with the trace
        reference = secrets.token_hex(4).upper()
        _logger.exception("Module %s of %s failed [reference %s]", operation.kind,
                          operation.modules, reference)
        operation.finish({"state": "failed", "reference": reference, "error": _(
            "The operation failed and was rolled back. Reference: %(reference)s",
            reference=reference)})
    finally:
        db.progress = previous
        _RUNNING.release()


# ---------------------------------------------------------------------------
# what the page shows
# ---------------------------------------------------------------------------
def module_entries(env: Any, db: Any) -> list[dict]:
    """Every addon of the addons path and every module record, for the page."""
    Module = env["ir.module.module"]  # noqa: N806 - read as the admin, not sudo
    records = {row["name"]: row for row in Module.search_read([], [
        "name", "shortdesc", "summary", "category", "state", "application",
        "latest_version", "installed_version"])}
    depends: dict[str, list[str]] = {}
    for row in env["ir.module.module.dependency"].search_read([], ["module_id", "name"]):
        if row["module_id"]:
            depends.setdefault(row["module_id"][1], []).append(row["name"])
    addons = graph.discover(db.addons_paths)
    entries = []
    for name in sorted(set(addons) | set(records)):
        entries.append(_entry(name, records.get(name), addons.get(name),
                              depends.get(name, [])))
    return sorted(entries, key=lambda e: (not e["application"], e["title"].lower()))


def _entry(name: str, record: dict | None, manifest: Any, depends: list[str]) -> dict:
    state = record["state"] if record else (
        "uninstalled" if manifest.installable else "uninstallable")
    installed_version = record["latest_version"] if record else False
    available = manifest.version if manifest else None
    upgradable = bool(state == "installed" and available and installed_version
                      and version_tuple(available) > version_tuple(installed_version))
    return {
        "name": name,
        "title": (manifest.title if manifest else record["shortdesc"]) or name,
        "summary": (manifest.summary if manifest else record["summary"]) or "",
        "category": (manifest.category if manifest else record["category"]) or "",
        "depends": list(manifest.depends) if manifest else depends,
        "application": bool(manifest.application if manifest else record["application"]),
        "state": state, "installed_version": installed_version or "",
        "available_version": available or "", "upgradable": upgradable,
        "missing_code": manifest is None,
        "can_install": state == "uninstalled" and manifest is not None,
        "can_upgrade": state == "installed" and manifest is not None,
        "can_uninstall": state == "installed" and name != "base",
    }


def filter_entries(entries: list[dict], search: str, category: str) -> list[dict]:
    words = search.lower().split()
    return [e for e in entries
            if (not category or e["category"] == category)
            and all(any(word in e[key].lower() for key in ("name", "title", "summary"))
                    for word in words)]


def guide(entries: list[dict]) -> list[dict]:
    """The growth stages with each feature's module and its state."""
    by_name = {entry["name"]: entry for entry in entries if not entry["missing_code"]}
    stages = []
    for stage in STAGES:
        features = []
        for feature in stage.features:
            module = next((by_name[n] for n in feature.candidates if n in by_name), None)
            features.append({"label": feature.label, "module": module})
        stages.append({"stage": stage, "features": features})
    return stages


def dependents(env: Any, db: Any, name: str) -> list[str]:
    """The installed modules that uninstalling ``name`` also uninstalls (read in
    the request's transaction: on SQLite another one would wait for it)."""
    installed = env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
    if name not in installed:
        raise NotFound(_("This module is not installed."))
    return sorted(graph.dependents(name, installed, db.addons))


# ---------------------------------------------------------------------------
# the routes
# ---------------------------------------------------------------------------
class AppsPage:
    """Mounts the Apps page's routes on an ``Application`` (after its web client)."""

    def __init__(self, app: Any):
        self.app = app
        self.db = app.db
        routes: list[tuple[str, str, list[str], Callable]] = [
            ("/web/apps", "apps", ["GET"], self.page),
            ("/web/apps/uninstall/<name>", "apps_confirm_uninstall", ["GET"],
             self.confirm_uninstall),
            (f"/web/apps/<any({', '.join(KINDS)}):kind>", "apps_operation", ["POST"],
             self.operation),
        ]
        for path, endpoint, methods, handler in routes:
            app.url_map.add(Rule(path, endpoint=endpoint, methods=methods))
            # the web client's wrapper: login, CSRF on POST, the user's transaction
            setattr(app, f"on_{endpoint}", app.web._page_handler(handler))

    @staticmethod
    def _require_admin(page: Page) -> None:
        if not page.env.user.has_group(ADMIN_GROUP):
            raise Forbidden(_("Only administrators may install, upgrade or uninstall "
                              "modules."))

    def page(self, page: Page) -> Response:
        self._require_admin(page)
        args = page.request.args
        entries = module_entries(page.env, self.db)
        search, category = args.get("search", "").strip(), args.get("category", "")
        return page.render(
            "apps.html", entries=filter_entries(entries, search, category),
            total=len(entries), search=search, category=category,
            categories=sorted({e["category"] for e in entries if e["category"]}),
            stages=guide(entries), started=args.get("started") in KINDS,
            breadcrumbs=[(_("Apps"), None)])

    def confirm_uninstall(self, page: Page, name: str) -> Response:
        self._require_admin(page)
        entries = {entry["name"]: entry for entry in module_entries(page.env, self.db)}
        if name not in entries or not entries[name]["can_uninstall"]:
            raise NotFound(_("This module is not installed, or cannot be uninstalled."))
        also = dependents(page.env, self.db, name)
        return page.render(
            "apps_uninstall.html", module=entries[name], confirm=",".join(also),
            also=[entries.get(n, {"name": n, "title": n, "summary": ""}) for n in also],
            breadcrumbs=[(_("Apps"), "/web/apps"), (entries[name]["title"], None)])

    def operation(self, page: Page, kind: str) -> Response:
        self._require_admin(page)
        request = page.request
        name = request.form.get("module", "")
        self.db.addons = graph.discover(self.db.addons_paths)
        if name not in self.db.addons:
            raise NotFound(_("There is no module %(name)s in the addons path.", name=name))
        modules = [name]
        if kind == "uninstall":
            also = dependents(page.env, self.db, name)
            confirmed = sorted(filter(None, request.form.get("confirm", "").split(",")))
            if confirmed != also:
                raise BadRequest(_("The modules that depend on %(name)s changed meanwhile; "
                                   "confirm the uninstallation again.", name=name))
            modules += also
        streaming = NDJSON in request.headers.get("Accept", "")
        try:
            operation = start_operation(self.db, kind, modules)
        except UserError as exc:
            if not streaming:
                raise Conflict(str(exc)) from None
            operation = Operation(kind, modules)
            operation.finish({"state": "failed", "error": str(exc)})
        if not streaming:       # a browser without scripts: back to the page
            return redirect(f"/web/apps?started={kind}", code=303)
        return stream(operation)


def stream(operation: Operation) -> Response:
    """The operation's events as JSON lines, flushed one by one."""
    lines = (json.dumps(event).encode() + b"\n" for event in operation.follow())
    return Response(lines, mimetype=NDJSON, direct_passthrough=True, headers={
        "Cache-Control": "no-store", "X-Accel-Buffering": "no"})

