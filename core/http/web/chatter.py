"""The chatter under forms of ``mail.thread`` models, Discuss and "My activities".

    panel = chatter_panel(action_page, record)   # what web/chatter.html shows, or None

Forms (POST, CSRF field, then back to the record):
    /web/chatter/<model>/<id>/post          body, note=1 for a log note, files
    /web/chatter/<model>/<id>/follow        follow=1 | 0
    /web/chatter/<model>/<id>/activity      activity_type_id, summary, date_deadline,
                                            user_id, note
    /web/chatter/activity/<id>/done         feedback
JSON (``X-CSRF-Token``; answers ``{"messages": [...]}`` or the like; a post may
carry ``attachments: [{"name", "datas"}]`` in base64 and ``partner_ids``):
    /web/chatter/json/<model>/<id>/messages|post|follow|activity,
    /web/chatter/json/activity/<id>/done
Pages:
    /web/discuss, /web/discuss/<channel id>   channels, messages, posting (POST)
    /web/activities                            the user's activities, by state
Public:
    /mail/unsubscribe?email=&token=            bulk mail opt-out (GET: confirm;
                                               POST: done, also RFC 8058 one-click)

The mail addon provides the models; nothing here exists unless it is
installed (``chatter_panel`` answers None, the routes 404). Everything
runs as the logged-in user: the models check the document's access.
A form arch marks the chatter's place with Odoo 17's
``<div class="oe_chatter">`` (its fields are not drawn as fields).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from core.exceptions import AccessError, UserError
from core.http.web.controller import Page
from core.http.web.i18n import _
from core.http.web.renderers import VIEW_ROUTES, register_route
from core.i18n.format import format_date, format_datetime

MESSAGES_SHOWN = 50
MAX_FILE = 25 * 1024 * 1024
#: "@mei" or "@Mei Chen" (a login, or one or two words of a name)
_MENTION = re.compile(r"(?<![\w.])@([\w.-]+(?: [A-Z][\w.-]*)?)")


def is_chatter(element: Any) -> bool:
    """Whether an arch element is the chatter's place (``div.oe_chatter``)."""
    return element.tag == "div" and "oe_chatter" in (element.get("class") or "").split()


def is_thread(record: Any) -> bool:
    return bool(record) and getattr(type(record), "_mail_thread", False) \
        and "mail.message" in record.env


# ---------------------------------------------------------------------------
# the panel
# ---------------------------------------------------------------------------
def chatter_panel(action: Any, record: Any) -> dict | None:
    """The chatter of a saved record as the user sees it (None otherwise)."""
    if not is_thread(record):
        return None
    return panel_values(record.with_env(action.env), action.record_url(record.id))


def panel_values(record: Any, back: str) -> dict:
    env = record.env
    base = f"/web/chatter/{quote(record._name)}/{record.id}"
    activities = env["mail.activity"].browse()
    if getattr(type(record), "_mail_activity", False):
        activities = env["mail.activity"].search([("res_model", "=", record._name),
                                                  ("res_id", "=", record.id)])
    followers = env["mail.followers"].sudo().search([("res_model", "=", record._name),
                                                     ("res_id", "=", record.id)])
    me = env.user.partner_id
    return {
        "messages": _messages(record), "base": base, "back": back,
        "followers": [f.partner_id.display_name for f in followers],
        "is_follower": me in followers.mapped("partner_id"),
        "activities": [_activity_row(env, row) for row in activities.activity_format()],
        "has_activities": getattr(type(record), "_mail_activity", False),
        "activity_types": [(t.id, t.name) for t in env["mail.activity.type"].search([])],
        "users": [(u.id, u.name) for u in env["res.users"].search([("share", "=", False)],
                                                                  limit=200)],
        "can_post": _may(record, getattr(type(record), "_mail_post_access", "write")),
        "can_write": _may(record, "write"),
        "today": dt.date.today().isoformat(),
        "discuss_url": f"/web/discuss/{record.id}" if record._name == "discuss.channel"
        else None,
    }


def _may(record: Any, operation: str) -> bool:
    try:
        record._check_thread_access(operation)
    except AccessError:
        return False
    return True


def _messages(record: Any) -> list[dict]:
    env = record.env
    found = env["mail.message"].search([("model", "=", record._name),
                                        ("res_id", "=", record.id)], limit=MESSAGES_SHOWN)
    return [_message_row(env, row) for row in found.message_format()]


def _message_row(env: Any, row: dict) -> dict:
    return {**row, "body": Markup(row["body"]),     # sanitised when it was stored
            "date_text": format_datetime(row["date"], env.lang, env.context.get("tz"))
            if row["date"] else "",
            "author_name": row["author"][1]}


def _activity_row(env: Any, row: dict) -> dict:
    return {**row, "note": Markup(row["note"] or ""),
            "deadline_text": format_date(row["date_deadline"], env.lang)}


# ---------------------------------------------------------------------------
# actions shared by the form routes and the JSON routes
# ---------------------------------------------------------------------------
def _record(page: Page, model: str, res_id: int) -> Any:
    if model not in page.env or "mail.message" not in page.env:
        raise NotFound(_("Unknown record"))
    record = page.env[model].browse(res_id)
    if not is_thread(record) or not record.exists():
        raise NotFound(_("This record does not exist (any more)."))
    record.check_access_rights("read")
    record._check_thread_access("read")
    return record


def do_post(record: Any, body: str, note: bool, files: list[tuple[str, bytes]],
            partner_ids: list[int] | None = None) -> Any:
    if not body.strip() and not files:
        raise UserError(_("Write a message or attach a file."))
    subtype = "mail.mt_note" if note else "mail.mt_comment"
    mentioned = mentioned_partners(record.env, body)
    return record.message_post(body=body, message_type="comment", subtype_xmlid=subtype,
                               attachments=files,
                               partner_ids=list(dict.fromkeys((partner_ids or []) + mentioned)))


def mentioned_partners(env: Any, body: str) -> list[int]:
    """The partners of the internal users named with ``@login`` or ``@First Last``
    in a message: they are told even when they do not follow the record."""
    words = _MENTION.findall(body or "")
    if not words:
        return []
    users = env["res.users"].search([("share", "=", False)], limit=500)
    found = []
    for user in users:
        names = {user.login.lower(), (user.name or "").lower()}
        if any(word.lower() in names or " ".join(word.split()[:1]).lower() in names
               for word in words):
            found.append(user.partner_id.id)
    return found


def do_follow(record: Any, follow: bool) -> None:
    partner = record.env.user.partner_id
    if follow:
        record.message_subscribe(partner_ids=[partner.id])
    else:
        record.message_unsubscribe(partner_ids=[partner.id])


def do_schedule(record: Any, values: dict) -> Any:
    if not getattr(type(record), "_mail_activity", False):
        raise UserError(_("This kind of record holds no activities."))
    deadline = values.get("date_deadline") or None
    if isinstance(deadline, str):
        try:
            deadline = dt.date.fromisoformat(deadline)
        except ValueError:
            raise UserError(_("The due date %(value)s is not a date.", value=deadline)) \
                from None
    type_id = _int(values.get("activity_type_id"))
    user_id = _int(values.get("user_id")) or record.env.uid
    return record.activity_schedule(
        activity_type_id=type_id or False, summary=values.get("summary") or "",
        note=values.get("note") or "", date_deadline=deadline, user_id=user_id) \
        if type_id else record.activity_schedule(
        summary=values.get("summary") or "", note=values.get("note") or "",
        date_deadline=deadline, user_id=user_id)


def do_done(page: Page, activity_id: int, feedback: str) -> tuple[Any, int | bool]:
    activity = page.env["mail.activity"].browse(activity_id)
    if not activity.exists() or not activity.search([("id", "=", activity_id)]):
        raise NotFound(_("This activity does not exist (any more)."))
    document = (activity.sudo().res_model, activity.sudo().res_id)
    return document, activity.action_feedback(feedback=feedback or False)


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _back(page: Page, fallback: str) -> str:
    target = page.request.form.get("back") or ""
    return target if target.startswith("/web") and not target.startswith("//") else fallback


def _files(request: Request) -> list[tuple[str, bytes]]:
    files = []
    for upload in request.files.getlist("files"):
        if upload and upload.filename:
            content = upload.read(MAX_FILE + 1)
            if len(content) > MAX_FILE:
                raise UserError(_("%(name)s is too large.", name=upload.filename))
            files.append((upload.filename, content))
    return files


# ---------------------------------------------------------------------------
# form routes
# ---------------------------------------------------------------------------
def post_form(page: Page, model: str, res_id: int) -> Response:
    record = _record(page, model, res_id)
    form = page.request.form
    do_post(record, form.get("body", ""), form.get("note") == "1", _files(page.request))
    return redirect(_back(page, f"/web/model/{quote(model)}/{res_id}"))


def follow_form(page: Page, model: str, res_id: int) -> Response:
    record = _record(page, model, res_id)
    do_follow(record, page.request.form.get("follow") == "1")
    return redirect(_back(page, f"/web/model/{quote(model)}/{res_id}"))


def activity_form(page: Page, model: str, res_id: int) -> Response:
    record = _record(page, model, res_id)
    do_schedule(record, page.request.form.to_dict())
    return redirect(_back(page, f"/web/model/{quote(model)}/{res_id}"))


def done_form(page: Page, activity_id: int) -> Response:
    (model, res_id), _message = do_done(page, activity_id,
                                        page.request.form.get("feedback", ""))
    return redirect(_back(page, f"/web/model/{quote(model)}/{res_id}"))


# ---------------------------------------------------------------------------
# JSON routes
# ---------------------------------------------------------------------------
def messages_json(page: Page, payload: dict, model: str, res_id: int) -> dict:
    return {"messages": _json_messages(_record(page, model, res_id))}


def post_json(page: Page, payload: dict, model: str, res_id: int) -> dict:
    record = _record(page, model, res_id)
    partner_ids = [i for i in payload.get("partner_ids") or [] if isinstance(i, int)]
    message = do_post(record, str(payload.get("body") or ""), bool(payload.get("note")),
                      _json_files(payload), partner_ids)
    return {"id": message.id, "messages": _json_messages(record)}


def follow_json(page: Page, payload: dict, model: str, res_id: int) -> dict:
    record = _record(page, model, res_id)
    do_follow(record, bool(payload.get("follow", True)))
    return {"is_follower": record.message_is_follower}


def activity_json(page: Page, payload: dict, model: str, res_id: int) -> dict:
    record = _record(page, model, res_id)
    activity = do_schedule(record, payload)
    return {"id": activity.id, "activities": _json_activities(record)}


def done_json(page: Page, payload: dict, activity_id: int) -> dict:
    (model, res_id), message_id = do_done(page, activity_id, str(payload.get("feedback") or ""))
    return {"message_id": message_id}


def _json_files(payload: dict) -> list[tuple[str, bytes]]:
    """``attachments``: [{"name", "datas" (base64)}] of a JSON post."""
    files = []
    for item in payload.get("attachments") or []:
        if not isinstance(item, dict) or not item.get("name"):
            raise UserError(_("Each attachment needs a name and its content."))
        try:
            content = base64.b64decode(str(item.get("datas") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise UserError(_("The content of %(name)s is not base64.",
                              name=item["name"])) from None
        if len(content) > MAX_FILE:
            raise UserError(_("%(name)s is too large.", name=item["name"]))
        files.append((str(item["name"]), content))
    return files


def _json_messages(record: Any) -> list[dict]:
    found = record.env["mail.message"].search([("model", "=", record._name),
                                               ("res_id", "=", record.id)],
                                              limit=MESSAGES_SHOWN)
    return [{**row, "date": row["date"].isoformat() if row["date"] else False}
            for row in found.message_format()]


def _json_activities(record: Any) -> list[dict]:
    found = record.env["mail.activity"].search([("res_model", "=", record._name),
                                                ("res_id", "=", record.id)])
    return [{**row, "date_deadline": row["date_deadline"].isoformat()}
            for row in found.activity_format()]


# ---------------------------------------------------------------------------
# Discuss and "My activities"
# ---------------------------------------------------------------------------
def discuss(page: Page, channel_id: int | None = None) -> Response:
    env = page.env
    if "discuss.channel" not in env:
        raise NotFound(_("Discuss is not installed."))
    channels = env["discuss.channel"].search([])
    current = channels.browse(channel_id) if channel_id else channels.browse()
    if channel_id and current not in channels:
        raise NotFound(_("This channel does not exist, or you may not see it."))
    if page.request.method == "POST" and current:
        body = page.request.form.get("body", "")
        if body.strip():
            current.message_post(body=body)
        return redirect(f"/web/discuss/{current.id}")
    unread = {channel.id: channel.message_unread_counter for channel in channels}
    messages = []
    if current:
        messages = [_message_row(env, row) for row in current.channel_fetch_messages()]
        if current.is_member:
            current.channel_seen()
    if current:
        unread[current.id] = 0
    return page.render("web/discuss.html", channels=channels, current=current, unread=unread,
                       messages=list(reversed(messages)),
                       breadcrumbs=[(_("Discuss"), None)])


def discuss_join(page: Page, channel_id: int) -> Response:
    channel = page.env["discuss.channel"].browse(channel_id)
    channel.channel_join()
    return redirect(f"/web/discuss/{channel_id}")


def my_activities(page: Page) -> Response:
    env = page.env
    if "mail.activity" not in env:
        raise NotFound(_("Activities are not installed."))
    found = env["mail.activity"].search([("user_id", "=", env.uid)])
    rows = [_activity_row(env, row) for row in found.activity_format()]
    groups = [(state, label, [r for r in rows if r["state"] == state])
              for state, label in (("overdue", _("Late")), ("today", _("Today")),
                                   ("planned", _("Future")))]
    return page.render("web/activities.html", groups=groups,
                       breadcrumbs=[(_("My Activities"), None)])


# ---------------------------------------------------------------------------
# unsubscribing (public: the token is the proof)
# ---------------------------------------------------------------------------
def unsubscribe(app: Any, request: Request, session: Any) -> Response:
    """Bulk-mail opt-out: GET shows a confirmation, POST lists the address;
    a one-click POST from a mail client (RFC 8058) gets an empty 200."""
    email = request.values.get("email", "")
    token = request.values.get("token", "")
    with app.db.env() as env:
        if "mail.blacklist" not in env:
            raise NotFound()
        blacklist = env["mail.blacklist"]
        if not blacklist._check_token(email, token):
            raise BadRequest("This unsubscribe link is not valid.")
        if request.method == "POST":
            blacklist._unsubscribe(email, token)
    if request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click":
        return Response("", status=200)
    return app.render("web/unsubscribe.html", email=email, token=token,
                      done=request.method == "POST")


unsubscribe.takes_app = True


# ---------------------------------------------------------------------------
# registration (at import: formview imports this module)
# ---------------------------------------------------------------------------
_THREAD = "/web/chatter/<string:model>/<int:res_id>"
_JSON = "/web/chatter/json/<string:model>/<int:res_id>"
register_route(f"{_THREAD}/post", "chatter_post", post_form, ("POST",), "page")
register_route(f"{_THREAD}/follow", "chatter_follow", follow_form, ("POST",), "page")
register_route(f"{_THREAD}/activity", "chatter_activity", activity_form, ("POST",), "page")
register_route("/web/chatter/activity/<int:activity_id>/done", "chatter_done", done_form,
               ("POST",), "page")
register_route(f"{_JSON}/messages", "chatter_messages", messages_json)
register_route(f"{_JSON}/post", "chatter_post", post_json)
register_route(f"{_JSON}/follow", "chatter_follow", follow_json)
register_route(f"{_JSON}/activity", "chatter_activity", activity_json)
register_route("/web/chatter/json/activity/<int:activity_id>/done", "chatter_done", done_json)
register_route("/web/discuss", "discuss", discuss, ("GET", "POST"), "page")
register_route("/web/discuss/<int:channel_id>", "discuss", discuss, ("GET", "POST"), "page")
register_route("/web/discuss/<int:channel_id>/join", "discuss_join", discuss_join,
               ("POST",), "page")
register_route("/web/activities", "my_activities", my_activities, ("GET",), "page")
# a public route: register_route knows logged-in kinds only
VIEW_ROUTES.append(("/mail/unsubscribe", "mail_unsubscribe", unsubscribe, ["GET", "POST"],
                    "public"))
