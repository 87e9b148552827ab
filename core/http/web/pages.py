"""The pages of the web client: home, menus, actions, records, selections, favourites,
preferences and files.

    GET  /web/action/12?view_type=list&page=2      the action's list (or another view)
    GET  /web/action/12/7?<list state>             record 7 in the action's form
    POST /web/action/12/7  _op=save|button|delete|copy|archive|unarchive
    GET  /web/model/res.partner/new                a new partner, without an action

Every handler gets a ``Page`` (request, session, the user's environment);
the routes are listed in ``PAGE_ROUTES`` and mounted by ``WebClient``.
See docs/webclient.md for the URL scheme.
"""

from __future__ import annotations

import base64
import mimetypes
from typing import Any
from urllib.parse import quote

from werkzeug.exceptions import BadRequest, Forbidden, NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

import core.http.web.attachments  # noqa: F401 - routes: the form's files
import core.http.web.exporter  # noqa: F401 - routes and the Export selection action
import core.http.web.importer  # noqa: F401 - routes: CSV import
from core.exceptions import AccessError, UserError
from core.http.web import listview, viewtypes  # noqa: F401 - registers the view types
from core.http.web.actions import ActionSpec, ListState, load_action, model_action
from core.http.web.controller import Page
from core.http.web.formview import FormRenderer
from core.http.web.i18n import _
from core.http.web.records import SaveError, parse_form, save
from core.http.web.renderers import SELECTION_ACTIONS, ActionPage
from core.http.web.shell import load_menus

_SCOPES = ("/web/action/<int:action_id>", "/web/model/<string:model>")
PAGE_ROUTES: list[tuple[str, str, list[str]]] = [
    ("/web/menu/<int:menu_id>", "menu", ["GET"]),
    ("/web/preferences", "preferences", ["GET", "POST"]),
    ("/web/favorite/<int:filter_id>/delete", "favorite_delete", ["POST"]),
    ("/web/binary/<string:model>/<int:record_id>/<string:field>", "binary", ["GET"]),
    *[(scope, "action", ["GET"]) for scope in _SCOPES],
    *[(f"{scope}/new", "new", ["GET", "POST"]) for scope in _SCOPES],
    *[(f"{scope}/<int:record_id>", "record", ["GET", "POST"]) for scope in _SCOPES],
    *[(f"{scope}/selection", "selection", ["POST"]) for scope in _SCOPES],
    *[(f"{scope}/favorite", "favorite", ["POST"]) for scope in _SCOPES],
]
#: image formats shown inline (anything else is downloaded: no SVG/HTML from data)
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
           (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


class Pages:
    def __init__(self, client: Any):
        self.client = client

    # -- helpers -------------------------------------------------------------------
    def action_page(self, page: Page, action_id: int | None, model: str | None
                    ) -> ActionPage:
        spec: ActionSpec = load_action(page.env, action_id) if action_id else \
            model_action(page.env, model)
        return ActionPage(page, spec, ListState.from_args(page.request.args))

    # -- home and menus --------------------------------------------------------------
    def home(self, page: Page) -> Response:
        modules = page.env["ir.module.module"].search_read(
            [("state", "=", "installed")], ["name", "shortdesc", "summary",
                                            "latest_version"]) \
            if page.env["ir.module.module"].check_access_rights("read", False) else []
        return page.render("home.html", modules=modules, apps=load_menus(page.env))

    def menu(self, page: Page, menu_id: int) -> Response:
        for root in load_menus(page.env):
            found = _find(root, menu_id)
            if found is not None and found.first_url():
                return redirect(found.first_url())
        raise NotFound(_("This menu does not exist or opens nothing you may use."))

    # -- multi-record views ---------------------------------------------------------------
    def action(self, page: Page, action_id: int | None = None, model: str | None = None
               ) -> Response:
        action = self.action_page(page, action_id, model)
        if not action.view_types:
            return redirect(action.record_url("new"))
        renderer = action.renderer()
        return renderer.fragment() or renderer.render()

    def selection(self, page: Page, action_id: int | None = None, model: str | None = None
                  ) -> Response:
        action = self.action_page(page, action_id, model)
        form = page.request.form
        ids = [int(v) for v in form.getlist("ids") if v.isdigit()]
        operation = form.get("op", "")
        records = action.model.browse(ids).exists()
        back = action.list_url()
        if not records:
            return redirect(back)
        if operation == "delete":
            if not form.get("confirmed"):
                return _confirm(page, _("Delete %(count)s records?", count=len(records)),
                                form, back)
            records.unlink()
        elif operation in ("archive", "unarchive") and "active" in action.fields:
            getattr(records, f"action_{operation}")()
        elif operation in SELECTION_ACTIONS:
            target = SELECTION_ACTIONS[operation][1](action, records)
            return target if isinstance(target, Response) else redirect(target or back)
        else:
            raise BadRequest(_("Unknown operation %(op)s", op=operation))
        return redirect(back)

    # -- records -----------------------------------------------------------------------
    def new(self, page: Page, action_id: int | None = None, model: str | None = None
            ) -> Response:
        return self.record(page, None, action_id, model)

    def record(self, page: Page, record_id: int | None, action_id: int | None = None,
               model: str | None = None) -> Response:
        action = self.action_page(page, action_id, model)
        if record_id and not action.model.browse(record_id).exists():
            raise NotFound(_("This record does not exist (any more)."))
        form = FormRenderer(action, record_id)
        if page.request.method == "GET":
            return form.render()
        posted = page.request.form
        operation = posted.get("_op") or ("button" if posted.get("_button") else "save")
        handler = getattr(self, f"_op_{operation}", None)
        if handler is None or (operation != "save" and not record_id):
            raise BadRequest(_("Unknown operation %(op)s", op=operation))
        return handler(page, action, form)

    def _op_save(self, page: Page, action: ActionPage, form: FormRenderer) -> Response:
        submitted = parse_form(form, page.request.form, page.request.files)
        try:
            record = save(form, submitted)
        except SaveError as exc:
            return form.render(submitted=exc.submitted, error=exc.message, status=422)
        return redirect(action.record_url(record.id))

    def _op_button(self, page: Page, action: ActionPage, form: FormRenderer) -> Response:
        name = page.request.form.get("_button", "")
        submitted = parse_form(form, page.request.form, page.request.files)
        try:
            save(form, submitted)
        except SaveError as exc:
            return form.render(submitted=exc.submitted, error=exc.message, status=422)
        if name.startswith("_") or name not in form.allowed_buttons():
            raise Forbidden(_("This button cannot be used on this record now."))
        try:
            with page.env.transaction.atomic(savepoint=True):
                result = getattr(form.record, name)()
        except AccessError:
            raise
        except UserError as exc:
            return form.render(error=exc.args[0] if exc.args else str(exc), status=422)
        return redirect(_button_target(action, form.record.id, result))

    def _op_delete(self, page: Page, action: ActionPage, form: FormRenderer) -> Response:
        if not page.request.form.get("confirmed"):
            return _confirm(page, _("Delete this record?"), page.request.form,
                            action.record_url(form.record.id))
        form.record.unlink()
        return redirect(action.list_url())

    def _op_copy(self, page: Page, action: ActionPage, form: FormRenderer) -> Response:
        return redirect(action.record_url(form.record.copy().id))

    def _op_archive(self, page: Page, action: ActionPage, form: FormRenderer) -> Response:
        form.record.action_archive()
        return redirect(action.record_url(form.record.id))

    def _op_unarchive(self, page: Page, action: ActionPage, form: FormRenderer) -> Response:
        form.record.action_unarchive()
        return redirect(action.record_url(form.record.id))

    # -- favourites ----------------------------------------------------------------------
    def favorite(self, page: Page, action_id: int | None = None, model: str | None = None
                 ) -> Response:
        from core.http.web.favorites import save_favorite

        action = self.action_page(page, action_id, model)
        fav_id = save_favorite(action, page.request.form)
        return redirect(action.list_url(fav=fav_id, filters=(), q=(), groupby=(), page=1))

    def favorite_delete(self, page: Page, filter_id: int) -> Response:
        favorite = page.env["ir.filters"].browse(filter_id).exists()
        if favorite:
            favorite.unlink()
        target = page.request.form.get("back", "/web")
        return redirect(target if target.startswith("/") and not target.startswith("//")
                        else "/web")

    # -- preferences -----------------------------------------------------------------------
    def preferences(self, page: Page) -> Response:
        from core.http.web.favorites import preference_choices

        langs, zones = preference_choices(page.env)
        user = page.env.user
        error = None
        if page.request.method == "POST":
            lang = page.request.form.get("lang")
            tz = page.request.form.get("tz") or False
            if lang not in dict(langs) or (tz and tz not in dict(zones)):
                error = _("Choose a language and a timezone from the lists.")
            else:
                user.write({"lang": lang, "tz": tz})
                return redirect("/web/preferences?saved=1")
        return page.render("web/preferences.html", langs=langs, zones=zones,
                           current_lang=user.lang, current_tz=user.tz or "", error=error,
                           saved=page.request.args.get("saved") == "1",
                           breadcrumbs=[(_("Preferences"), None)])

    # -- files -------------------------------------------------------------------------------
    def binary(self, page: Page, model: str, record_id: int, field: str) -> Response:
        if model not in page.env or page.env[model]._fields.get(field) is None \
                or page.env[model]._fields[field].type != "binary":
            raise NotFound()
        record = page.env[model].browse(record_id).exists()
        if not record:
            raise NotFound()
        value = record.read([field])[0][field]
        if not value:
            raise NotFound()
        content = base64.b64decode(value)
        mimetype = next((kind for magic, kind in _IMAGES if content.startswith(magic)), None)
        response = Response(content, mimetype=mimetype or "application/octet-stream")
        if mimetype is None:
            name = f"{model.replace('.', '_')}_{record_id}_{field}"
            guessed = mimetypes.guess_extension(response.mimetype) or ".bin"
            response.headers["Content-Disposition"] = \
                f"attachment; filename*=UTF-8''{quote(name + guessed)}"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-cache"
        return response


def _find(item: Any, menu_id: int) -> Any:
    if item.id == menu_id:
        return item
    for child in item.children:
        found = _find(child, menu_id)
        if found is not None:
            return found
    return None


def _confirm(page: Page, question: str, form: Any, back: str) -> Response:
    """The no-script confirmation of a destructive POST (the script asks in a dialog)."""
    fields = [(k, v) for k, v in form.items(multi=True) if k not in ("csrf_token",
                                                                     "confirmed")]
    return page.render("web/confirm.html", question=question, fields=fields,
                       action_url=page.request.full_path.rstrip("?"), back=back)


def _button_target(action: ActionPage, record_id: int, result: Any) -> str:
    """Where a button's result leads: a window action on a record, on the records
    of its ``domain`` (a smart button: the action of its ``id`` when it names a
    stored action, in its first view, ``view_type`` chosen by ``views``/``view_mode``),
    or back to the form."""
    if isinstance(result, dict) and result.get("type") == "ir.actions.act_window":
        model = result.get("res_model")
        res_id = result.get("res_id")
        if isinstance(model, str) and model in action.env:
            if isinstance(res_id, int) and res_id:
                return f"/web/model/{quote(model)}/{res_id}"
            base = f"/web/action/{result['id']}" if isinstance(result.get("id"), int) \
                else f"/web/model/{quote(model)}"
            return base + _domain_query(result)
    return action.record_url(record_id)


def _domain_query(result: dict) -> str:
    """``?s=1&domain=...`` for a window action's domain and first view."""
    import json
    from urllib.parse import urlencode

    pairs = [("s", "1")]
    modes = [m.strip() for m in str(result.get("view_mode") or "").split(",") if m.strip()]
    views = result.get("views") or []
    first = views[0][1] if views and isinstance(views[0], (list, tuple)) else \
        (modes[0] if modes else None)
    if first and first not in ("form", "list", "tree"):
        pairs.append(("view_type", first))
    domain = result.get("domain")
    if isinstance(domain, (list, tuple)) and domain:
        pairs.append(("domain", json.dumps(list(domain), default=str)))
        if result.get("name"):
            pairs.append(("domain_label", str(result["name"])))
    return "?" + urlencode(pairs)
