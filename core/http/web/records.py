"""Saving a submitted form: parse, check, write (or create), and keep the input on errors.

    form = FormRenderer(action_page, record_id)
    submitted = parse_form(form, request.form, request.files)
    record = save(form, submitted)        # SaveError: render the form again with it

Only the fields of the form view are taken, and of those only the ones
the user can edit in the submitted state (``readonly`` conditions are
evaluated on the submitted values, as on the page; ``force_save="1"``
keeps a read-only field). Required fields are checked first, each message
next to its field; the write runs in a savepoint, so a ``ValidationError``
or ``UserError`` leaves nothing written and the page shows the user's
input with the message.
"""

from __future__ import annotations

import base64
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from core.exceptions import AccessError, UserError
from core.http.web.conditions import compile_condition
from core.http.web.formats import condition_value
from core.http.web.formview import FormInput, FormRenderer
from core.http.web.i18n import _
from core.http.web.inputs import PRESENT, is_empty, parse_field, unchanged
from core.http.web.x2many import line_columns, parse_lines

MAX_UPLOAD = 25 * 1024 * 1024


class SaveError(Exception):
    """The submitted form could not be saved: ``message`` and the input to show again."""

    def __init__(self, message: str, submitted: FormInput):
        super().__init__(message)
        self.message = message          # a Message stays translatable
        self.submitted = submitted


def parse_form(form: FormRenderer, data: MultiDict, files: MultiDict | None = None
               ) -> FormInput:
    env = form.action.model.env
    result = FormInput()
    current = form.load_values()
    elements = form._iter_fields(form.arch)
    for element in elements:
        name = element.get("name")
        desc = form.fields.get(name)
        if desc is None or name in result.vals or name in result.errors:
            continue
        _parse_one(form, env, desc, name, data, files, current, result)
    _apply_conditions(form, elements, current, result)
    return result


def _parse_one(form: FormRenderer, env: Any, desc: dict, name: str, data: MultiDict,
               files: MultiDict | None, current: dict, result: FormInput) -> None:
    kind = desc["type"]
    if kind == "one2many":
        sub = (form.view.subviews or {}).get(name, {})
        columns = line_columns(env, desc, sub.get("list"))
        commands, typed, errors = parse_lines(env, desc, columns, data, name, form.fmt,
                                              set(current.get(name) or []))
        if data.get(f"{name}{PRESENT}"):
            result.lines[name] = typed
            if commands:        # none: nothing changed (an empty list would clear it)
                result.vals[name] = commands
            if errors:
                result.errors[name] = _("Some lines have errors.")
        return
    if kind == "many2many":
        if data.get(f"{name}{PRESENT}"):
            ids = [int(v) for v in data.getlist(name) if v.isdigit()]
            ids = env[desc["relation"]].browse(ids).exists().ids
            result.vals[name] = [(6, 0, ids)]
            result.shown[name] = ids
        return
    if kind == "binary":
        upload = (files or {}).get(name)
        if isinstance(upload, FileStorage) and upload.filename:
            content = upload.read(MAX_UPLOAD + 1)
            if len(content) > MAX_UPLOAD:
                result.errors[name] = _("The file is too large.")
            else:
                result.vals[name] = base64.b64encode(content)
                result.shown[name] = True
        elif data.get(f"{name}__clear"):
            result.vals[name] = False
            result.shown[name] = False
        return
    if name not in data and not (kind == "boolean" and data.get(f"{name}{PRESENT}")):
        return
    parsed = parse_field(env, desc, data, name, form.fmt)
    if parsed.error:
        result.errors[name] = parsed.error
        result.raw[name] = parsed.raw
        return
    result.vals[name] = parsed.value
    result.shown[name] = parsed.shown


def _apply_conditions(form: FormRenderer, elements: list, current: dict,
                      result: FormInput) -> None:
    merged = {**current, **result.shown}
    values = {n: condition_value(form.action.fields.get(n), v) for n, v in merged.items()}
    values["id"] = current.get("id") or False
    for element in elements:
        name = element.get("name")
        desc = form.fields.get(name)
        if desc is None:
            continue
        readonly = compile_condition(element.get("readonly"))
        is_readonly = readonly.evaluate(values) if readonly else bool(desc.get("readonly"))
        if is_readonly and element.get("force_save") not in ("1", "True"):
            result.vals.pop(name, None)
            continue
        invisible = compile_condition(element.get("invisible"))
        if invisible is not None and invisible.evaluate(values):
            continue
        required = compile_condition(element.get("required"))
        is_required = required.evaluate(values) if required else bool(desc.get("required"))
        if is_required and name not in result.errors and is_empty(
                merged.get(name), desc["type"]) and desc["type"] != "one2many":
            result.errors[name] = _("This field is required.")


def save(form: FormRenderer, submitted: FormInput) -> Any:
    """Write (or create) the record; SaveError with the input kept when refused."""
    if submitted.errors:
        raise SaveError(_("Some fields are invalid; correct them and save again."),
                        submitted)
    model = form.action.model
    transaction = model.env.transaction
    try:
        with transaction.atomic(savepoint=True):
            if form.record:
                vals = _changed(form, submitted.vals)
                if vals:
                    form.record.write(vals)
                record = form.record
            else:
                record = model.create(submitted.vals)
    except AccessError:
        raise
    except UserError as exc:        # ValidationError and the like: nothing was written
        raise SaveError(exc.args[0] if exc.args else str(exc), submitted) from None
    return record


def _changed(form: FormRenderer, vals: dict) -> dict:
    """The submitted values that differ from the record's (as Odoo's client,
    which sends the fields that changed)."""
    names = [name for name in vals if name in form.fields]
    stored = form.record.read(names)[0] if names else {}
    return {name: value for name, value in vals.items()
            if name not in stored
            or not unchanged(value, stored[name], form.fields[name]["type"])}
