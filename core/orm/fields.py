"""Fields: typed attributes of a model, and the conversions of their values.

A field lives on the model class as a descriptor. Reading it on a record
returns the value from the environment's cache (fetching it with its
siblings on a miss); assigning it writes the record.

    class Product(models.Model):
        _name = "product.product"
        name = fields.Char(required=True, translate=True)
        list_price = fields.Float(digits=(16, 2))
        active = fields.Boolean(default=True)

Each field converts values between four forms:

- *input*: what a caller passes to ``create``/``write`` (``convert_to_cache``
  validates it and raises ``ValidationError`` naming the field and value);
- *cache*: the canonical Python value kept per record id;
- *record*: what ``record.field`` returns (``convert_to_record``);
- *read*: what ``read()`` returns (``convert_to_read``).

Columns are typed with SQLAlchemy types; each field also builds its own
domain leaves (``Field.to_sql``), as Tryton's fields do.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.exceptions import ValidationError
from core.orm import html_sanitizer
from core.orm.sql import escape_like, json_type, unicode_ilike

if TYPE_CHECKING:
    from core.orm.models import BaseModel


class NewId:
    """The id of a record that exists only in the cache (a form being edited)."""

    __slots__ = ("ref",)
    _counter = 0

    def __init__(self) -> None:
        NewId._counter += 1
        self.ref = NewId._counter

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"NewId_{self.ref}"


class Field:
    """Base of all fields. Keyword arguments are Odoo's field attributes."""

    type: str = ""
    #: SQLAlchemy type of the column, None for fields without a column
    sql_type: Any = None
    #: the value of a record that has none
    null_value: Any = False
    #: the value is the same in cache and on the record (no conversion)
    plain: bool = True
    #: extra keyword arguments this field type accepts
    extra_args: tuple[str, ...] = ()
    group_operator: str | None = None

    _common_args = (
        "string", "help", "required", "readonly", "default", "index", "copy", "store",
        "compute", "inverse", "search", "related", "groups", "translate", "compute_sudo",
        "prefetch", "tracking", "company_dependent", "group_operator", "aggregator",
        "precompute", "recursive", "group_expand", "size", "trim", "selection_add",
    )

    def __init__(self, string: str | None = None, **kwargs: Any):
        if string is not None:
            kwargs["string"] = string
        unknown = set(kwargs) - set(self._common_args) - set(self.extra_args)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unknown arguments {sorted(unknown)}")
        self.args = kwargs
        self.name = ""
        self.model_name = ""
        #: the module that declared the field first (set by the registry)
        self.module: str | None = None

    # -- set-up by the registry ------------------------------------------
    def setup(self, model_cls: type[BaseModel], name: str) -> None:
        """Bind the field to its final model class (phase one: own attributes)."""
        args = self.args
        self.name = name
        self.model_name = model_cls._name
        self.string = args.get("string") or _default_string(name)
        self.help = args.get("help")
        self.related = args.get("related")
        self.compute = args.get("compute")
        self.inverse = args.get("inverse")
        self.search_method = args.get("search")
        self.required = bool(args.get("required", False))
        # as Odoo: a computed field is read-only unless it has an inverse
        self.readonly = bool(args.get("readonly", bool(self.related) or
                                      bool(self.compute and not self.inverse)))
        self.default = args.get("default")
        self.index = args.get("index", False)
        self.translate = bool(args.get("translate", False))
        self.groups = args.get("groups")
        self.compute_sudo = args.get("compute_sudo", True)
        self.tracking = args.get("tracking", False)
        self.group_expand = args.get("group_expand")
        self.group_operator = args.get("aggregator",
                                       args.get("group_operator", self.group_operator))
        computed = bool(self.compute or self.related)
        self.store = bool(args.get("store", not computed))
        self.copy = bool(args.get("copy", self.store and not computed))
        self.prefetch = args.get("prefetch", True)
        self.depends: tuple[str, ...] = ()
        #: context keys a non-stored computed value depends on (``@api.depends_context``)
        self.depends_context: tuple[str, ...] = ()
        self.column_backed = self.store and self.sql_type is not None

    @property
    def is_column(self) -> bool:
        return self.column_backed

    def column(self) -> sa.Column:
        """The SQLAlchemy column this field is stored in."""
        col_type = json_type() if self.translate else self.sql_type
        return sa.Column(self.name, col_type, nullable=not self.required or self.translate,
                         index=bool(self.index))

    def __repr__(self) -> str:
        return f"{self.model_name}.{self.name}"

    # -- descriptor ------------------------------------------------------
    def __get__(self, record: BaseModel | None, owner: type) -> Any:
        if record is None:
            return self
        ids = record._ids
        if len(ids) != 1:
            if not ids:
                return self.convert_to_record(None, record)
            record.ensure_one()
        id_ = ids[0]
        env = record.env
        cache = env.cache[self]
        if self.depends_context and env.transaction.drop_stale(self, env, (id_,)):
            env.transaction.drop_stale(self, env, record._prefetch_ids)
        try:
            value = cache[id_]
        except KeyError:
            env.transaction.fetch_missing(record, self)
            try:
                value = cache[id_]
            except KeyError:
                raise record._missing_error() from None
        else:
            if self.compute and self.store:
                tasks = env.transaction.tasks.get(self)
                if tasks and id_ in tasks:
                    env.transaction.recompute(self)
                    value = cache[id_]
        if self.plain:
            return self.null_value if value is None else value
        return self.convert_to_record(value, record)

    def __set__(self, record: BaseModel, value: Any) -> None:
        tx = record.env.transaction
        protected = tx.protected.get(self)
        ids = record._ids
        if protected and ((len(ids) == 1 and ids[0] in protected)
                          or all(id_ in protected for id_ in ids)):
            tx.set_computed(record, self, self.convert_to_cache(value, record))
        elif record._ids and all(isinstance(id_, NewId) for id_ in record._ids):
            cache = record.env.cache[self]
            cached = self.convert_to_cache(value, record)
            for id_ in record._ids:
                cache[id_] = cached
        else:
            record.write({self.name: value})

    # -- conversions -----------------------------------------------------
    def context_key(self, env: Any) -> tuple:
        """The values of the context keys this field's value depends on."""
        return tuple(env.lang if key == "lang" else env.uid if key == "uid"
                     else env.context.get(key) for key in self.depends_context)

    def convert_to_cache(self, value: Any, record: BaseModel, validate: bool = True) -> Any:
        """Validate an input value; return the cache form (None for no value)."""
        if value is None or value is False:
            return None
        return value

    def convert_to_record(self, value: Any, record: BaseModel) -> Any:
        return self.null_value if value is None else value

    def convert_to_read(self, value: Any, record: BaseModel) -> Any:
        return self.null_value if value is None else value

    def convert_to_column(self, value: Any) -> Any:
        return value

    def convert_from_column(self, value: Any) -> Any:
        return value

    def convert_to_write(self, value: Any, record: BaseModel) -> Any:
        """The record form back to an input value (used by copy and onchange)."""
        return self.convert_to_read(value, record)

    def default_value(self, model: BaseModel) -> Any:
        default = self.default
        if callable(default):
            return default(model)
        return default

    def invalid(self, value: Any, expected: str) -> ValidationError:
        return ValidationError(
            f"Wrong value for field '{self.string}' ({self.model_name}.{self.name}): "
            f"{value!r} is not {expected}."
        )

    # -- domains ---------------------------------------------------------
    def to_sql(self, model: BaseModel, column: Any, operator: str, value: Any) -> Any:
        """The SQL condition for the domain leaf ``(self.name, operator, value)``."""
        return generic_condition(self, column, operator, value)

    def convert_domain_value(self, value: Any) -> Any:
        """A domain value in the column's form (a date string becomes a date...)."""
        if value is None or value is False:
            return None
        return self.convert_to_column(self.convert_to_cache(value, None, validate=False))


def _default_string(name: str) -> str:
    for suffix in ("_ids", "_id"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name.replace("_", " ").strip().title()


def generic_condition(field: Field, column: Any, operator: str, value: Any) -> Any:
    """SQL for a leaf on a scalar column, with Odoo's semantics for NULL."""
    if operator in ("=", "!="):
        if value is None or value is False:
            empty = field_is_empty(field, column)
            return empty if operator == "=" else sa.not_(empty)
        value = field.convert_domain_value(value)
        if operator == "=":
            return column == value
        return sa.or_(column != value, column.is_(None))
    if operator in ("in", "not in"):
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        has_null = any(v is None or v is False for v in values)
        values = [field.convert_domain_value(v) for v in values if v is not None and v is not False]
        if field.type == "boolean" and has_null:
            values.append(False)
        cond = column.in_(values) if values else sa.false()
        # False in the list stands for "no value", as '= False' does
        if operator == "in":
            return sa.or_(cond, field_is_empty(field, column)) if has_null else cond
        cond = sa.not_(cond)
        if has_null:
            return sa.and_(cond, sa.not_(field_is_empty(field, column)))
        return sa.or_(cond, column.is_(None))
    if operator in ("<", "<=", ">", ">="):
        if value is None or value is False:
            return sa.false()
        value = field.convert_domain_value(value)
        return {"<": column < value, "<=": column <= value,
                ">": column > value, ">=": column >= value}[operator]
    if operator in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
        negate = operator.startswith("not ")
        base = operator[4:] if negate else operator
        if base in ("like", "ilike"):
            pattern = f"%{escape_like(str(value))}%"
        else:
            pattern = str(value)
        text_col = sa.cast(column, sa.String) if field.sql_type is not sa.String else column
        if base.endswith("ilike"):
            cond = unicode_ilike(text_col, pattern)
        else:
            cond = text_col.like(pattern, escape="\\")
        if negate:
            return sa.or_(sa.not_(cond), column.is_(None))
        if value in ("", False) and base in ("like", "ilike"):
            return sa.true()
        return cond
    raise ValueError(f"Invalid operator {operator!r} for field {field.model_name}.{field.name}")


def field_is_empty(field: Field, column: Any) -> Any:
    if field.type in ("char", "text", "html", "selection"):
        return sa.or_(column.is_(None), column == "")
    if field.type == "boolean":
        return sa.or_(column.is_(None), column == sa.false())
    return column.is_(None)


# ---------------------------------------------------------------------------
# scalar fields
# ---------------------------------------------------------------------------
class Boolean(Field):
    type = "boolean"
    sql_type = sa.Boolean()
    plain = False

    def convert_to_cache(self, value, record, validate=True):
        return bool(value)

    def convert_to_record(self, value, record):
        return bool(value)

    convert_to_read = convert_to_record


class Integer(Field):
    type = "integer"
    sql_type = sa.Integer()
    null_value = 0
    group_operator = "sum"
    _bounds = (-(2**31), 2**31 - 1)

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
                value = int(value)
            else:
                raise self.invalid(value, "an integer")
        if validate and not self._bounds[0] <= value <= self._bounds[1]:
            raise self.invalid(value, "within the 32-bit integer range")
        return value


class Float(Field):
    type = "float"
    null_value = 0.0
    group_operator = "sum"
    extra_args = ("digits",)

    def setup(self, model_cls, name):
        self.digits = self.args.get("digits")
        super().setup(model_cls, name)

    @property
    def sql_type(self):  # noqa: D401 - a property on purpose
        if getattr(self, "digits", None) or self.type == "monetary":
            return sa.Numeric(asdecimal=False)
        return sa.Float()

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False:
            return None
        if isinstance(value, bool):
            raise self.invalid(value, "a number")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise self.invalid(value, "a number") from None
        digits = self.digits
        if validate and isinstance(digits, tuple):
            value = float_round(value, digits[1])
        return value


def float_round(value: float, precision_digits: int) -> float:
    """Round half away from zero, as Odoo's ``float_round`` (HALF-UP).

    Python's ``round`` rounds half to even and works on the binary value:
    ``round(2.675, 2) == 2.67``. As Odoo, nudge the value by an epsilon of
    its magnitude so that the decimal value typed rounds up: 2.68.
    """
    if not value:
        return 0.0
    factor = 10.0 ** -precision_digits
    normalized = value / factor
    epsilon = 2 ** (math.log(abs(normalized), 2) - 52)
    normalized += math.copysign(epsilon, normalized)
    rounded = math.floor(abs(normalized) + 0.5)
    return round(math.copysign(rounded, normalized) * factor, precision_digits)


class Monetary(Float):
    type = "monetary"
    extra_args = ("currency_field", "digits")

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        self.currency_field = self.args.get("currency_field") or "currency_id"


class Char(Field):
    type = "char"
    extra_args = ("size", "trim")
    plain = False

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        self.size = self.args.get("size")
        self.trim = self.args.get("trim", True)

    @property
    def sql_type(self):
        return sa.String(getattr(self, "size", None))

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False:
            return None
        if isinstance(value, bytes):
            try:
                value = value.decode()
            except UnicodeDecodeError:
                raise self.invalid(value[:40], "UTF-8 text") from None
        elif not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            else:
                raise self.invalid(value, "a text")
        if validate:
            if "\x00" in value:
                # PostgreSQL refuses NUL in text; refuse it on both backends alike
                raise self.invalid(value[:40], "a text without NUL (\\x00) characters")
            if self.trim:
                value = value.strip()
            if self.size and len(value) > self.size:
                raise ValidationError(
                    f"The value for field '{self.string}' ({self.model_name}.{self.name}) is "
                    f"{len(value)} characters long; at most {self.size} are allowed."
                )
        if self.translate and record is not None:
            return {record.env.lang: value}
        return value

    def convert_to_record(self, value, record):
        if value is None:
            return False
        if isinstance(value, dict):
            text = value.get(record.env.lang)
            if text is None:
                text = value.get("en_US")
            if text is None and value:
                text = next(iter(value.values()))
            return text if text is not None else False
        return value

    convert_to_read = convert_to_record

    def convert_to_column(self, value):
        return value

    def convert_domain_value(self, value):
        if value is None or value is False:
            return None
        return str(value)

    def translated_column(self, model, column):
        """The text of the user's language from a JSON column of translations."""
        lang = model.env.lang
        own = column[lang].as_string()
        if lang == "en_US":
            return own
        return sa.func.coalesce(own, column["en_US"].as_string())

    def to_sql(self, model, column, operator, value):
        if self.translate:
            column = self.translated_column(model, column)
        return generic_condition(self, column, operator, value)


class Text(Char):
    type = "text"

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        # as in Odoo, only Char trims: a text's indentation and newlines are content
        self.trim = self.args.get("trim", False)

    @property
    def sql_type(self):
        return sa.Text()


class Html(Text):
    type = "html"
    extra_args = ("size", "trim", "sanitize")

    def convert_to_cache(self, value, record, validate=True):
        value = super().convert_to_cache(value, record, validate)
        if value is None or not validate or not self.args.get("sanitize", True):
            return value
        if isinstance(value, dict):
            return {lang: html_sanitizer.sanitize(text) for lang, text in value.items()}
        return html_sanitizer.sanitize(value)


class Selection(Field):
    type = "selection"
    sql_type = sa.String()
    extra_args = ("selection", "selection_add", "ondelete")
    plain = False

    def __init__(self, selection: Any = None, string: str | None = None, **kwargs):
        if selection is not None:
            kwargs["selection"] = selection
        super().__init__(string, **kwargs)

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        self.selection = self.args.get("selection")
        for item in self.args.get("_selection_adds", ()):
            self.selection = _merge_selection(self.selection or [], item)

    def get_values(self, env) -> list[tuple[str, str]]:
        selection = self.selection
        if isinstance(selection, str):
            return list(getattr(env[self.model_name], selection)())
        if callable(selection):
            return list(selection(env[self.model_name]))
        return list(selection or [])

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False:
            return None
        if validate and record is not None:
            allowed = [key for key, _label in self.get_values(record.env)]
            if value not in allowed:
                raise ValidationError(
                    f"Wrong value for field '{self.string}' ({self.model_name}.{self.name}): "
                    f"{value!r} is not one of {allowed}."
                )
        return value

    def convert_domain_value(self, value):
        return None if value is None or value is False else value


def _merge_selection(selection: list, additions: list) -> list:
    """Odoo's ``selection_add``: ``(key, label)`` adds or relabels a value;
    a lone ``(key,)`` places the values around it (``[("draft",), ("sent",
    "Sent"), ("done",)]`` puts sent between draft and done)."""
    labels = dict(selection)
    for item in additions:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            labels[item[0]] = item[1]
    # every value comes after its predecessor in either sequence (merge_sequences)
    before: dict = {}
    for sequence in ([key for key, _ in selection],
                     [item[0] for item in additions if isinstance(item, (list, tuple)) and item]):
        for index, key in enumerate(sequence):
            before.setdefault(key, [])
            if index:
                before[key].append(sequence[index - 1])
    ordered: list = []
    visited: set = set()

    def visit(key: Any) -> None:
        if key not in visited:
            visited.add(key)
            for previous in before[key]:
                visit(previous)
            ordered.append(key)

    for key in before:
        visit(key)
    return [(key, labels[key]) for key in ordered if key in labels]


class Date(Field):
    type = "date"
    sql_type = sa.Date()
    plain = False

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                pass
        raise self.invalid(value, "a date (YYYY-MM-DD)")

    def convert_to_record(self, value, record):
        return False if value is None else value

    convert_to_read = convert_to_record

    def convert_from_column(self, value):
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
        return value

    @staticmethod
    def today(*_args) -> dt.date:
        return dt.date.today()

    context_today = today

    @staticmethod
    def to_string(value: dt.date) -> str:
        return value.isoformat() if value else False


class Datetime(Field):
    """A point in time, kept in UTC (naive) in the database."""

    type = "datetime"
    sql_type = sa.DateTime()
    plain = False

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False or value == "":
            return None
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            return value.replace(microsecond=0)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        if isinstance(value, str):
            try:
                return self.convert_to_cache(dt.datetime.fromisoformat(value), record)
            except ValueError:
                pass
        raise self.invalid(value, "a date and time (YYYY-MM-DD HH:MM:SS)")

    def convert_to_record(self, value, record):
        return False if value is None else value

    convert_to_read = convert_to_record

    def convert_from_column(self, value):
        if isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        return value

    def domain_bound(self, operator: str, value: Any) -> Any:
        """As Odoo: a date alone is the start of its day, or its end for '>'
        and '<=' (('moment', '<=', '2024-06-30') includes that whole day)."""
        if operator in (">", "<="):
            day = None
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                day = value
            elif isinstance(value, str) and len(value) == 10:
                try:
                    day = dt.date.fromisoformat(value)
                except ValueError:
                    pass
            if day is not None:
                value = dt.datetime.combine(day, dt.time(23, 59, 59))
        return value

    def to_sql(self, model, column, operator, value):
        return generic_condition(self, column, operator, self.domain_bound(operator, value))

    @staticmethod
    def now(*_args) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    @staticmethod
    def to_string(value: dt.datetime) -> str:
        return value.strftime("%Y-%m-%d %H:%M:%S") if value else False


class Binary(Field):
    """Binary content; the API speaks base64 (as Odoo's), the column holds bytes."""

    type = "binary"
    sql_type = sa.LargeBinary()
    plain = False
    extra_args = ("attachment",)

    def setup(self, model_cls, name):
        self.attachment = bool(self.args.get("attachment", False))
        if self.attachment:
            # kept in ir.attachment (res_model, res_id, res_field), not in a column
            self.args.setdefault("compute", _read_attachments)
            self.args.setdefault("inverse", _write_attachments)
            self.args.setdefault("readonly", False)
            self.args.setdefault("copy", True)
        super().setup(model_cls, name)
        self.prefetch = self.args.get("prefetch", False)

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False or value == b"" or value == "":
            return None
        if isinstance(value, str):
            value = value.encode()
        if not isinstance(value, bytes):
            raise self.invalid(value, "base64-encoded data")
        try:
            # line breaks of MIME-style base64 (base64.encodebytes) are not data
            return base64.b64decode(value.translate(None, b" \t\r\n"), validate=True)
        except ValueError:
            raise self.invalid(value[:40], "base64-encoded data") from None

    def convert_to_record(self, value, record):
        return False if value is None else base64.b64encode(value)

    convert_to_read = convert_to_record

    def convert_from_column(self, value):
        return bytes(value) if value is not None else None


def _read_attachments(records: BaseModel) -> None:
    """Compute of attachment-backed binaries: every such field, one search."""
    names = [f.name for f in records._fields.values()
             if f.type == "binary" and getattr(f, "attachment", False)]
    found: dict = {}
    if "ir.attachment" in records.env.registry and records.ids:
        attachments = records.env["ir.attachment"].sudo().search([
            ("res_model", "=", records._name), ("res_field", "in", names),
            ("res_id", "in", records.ids)])
        found = {(a.res_id, a.res_field): a.datas for a in attachments}
    for record in records:
        for name in names:
            record[name] = found.get((record.id, name), False)


def _write_attachments(records: BaseModel) -> None:
    """Inverse of attachment-backed binaries: create, update or delete the attachments."""
    Attachment = records.env["ir.attachment"].sudo()  # noqa: N806
    for field in records._fields.values():
        if field.type != "binary" or not getattr(field, "attachment", False):
            continue
        cache = records.env.cache[field]
        for record in records:
            if record.id not in cache:
                continue
            raw = cache[record.id]
            current = Attachment.search([("res_model", "=", records._name),
                                         ("res_field", "=", field.name),
                                         ("res_id", "=", record.id)])
            if raw is None:
                current.unlink()
            elif current:
                current.write({"raw": raw})
            else:
                Attachment.create({"name": field.name, "res_model": records._name,
                                   "res_field": field.name, "res_id": record.id, "raw": raw})


class Json(Field):
    type = "json"
    plain = False

    @property
    def sql_type(self):
        return json_type()

    def convert_to_cache(self, value, record, validate=True):
        if value is False:
            return None
        return value

    def convert_to_record(self, value, record):
        return False if value is None else value

    convert_to_read = convert_to_record


class Id(Integer):
    """The ``id`` field; read-only, never in the cache of a field."""

    type = "integer"

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        self.readonly = True
        self.store = True
        self.column_backed = False
        self.copy = False

    def __get__(self, record, owner):
        if record is None:
            return self
        ids = record._ids
        if not ids:
            return False
        record.ensure_one()
        return ids[0]

    def __set__(self, record, value):
        raise TypeError("The id of a record cannot be changed.")


def selection_labels(field: Selection, env) -> dict[str, str]:
    return dict(field.get_values(env))


#: field type name -> field class, for fields_get and generated views
FIELD_TYPES: dict[str, type[Field]] = {}


def register_type(cls: type[Field]) -> type[Field]:
    FIELD_TYPES[cls.type] = cls
    return cls


for _cls in (Boolean, Integer, Float, Monetary, Char, Text, Html, Selection, Date, Datetime,
             Binary, Json):
    register_type(_cls)
