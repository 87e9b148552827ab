"""The external API: Odoo's ``common``, ``object`` and ``db`` services.

    services = Services(db)
    uid = services.dispatch("common", "login", ["troika", "admin", "secret"])
    services.dispatch("object", "execute_kw",
                      ["troika", uid, "secret", "res.partner", "search_read",
                       [[("is_company", "=", True)]], {"fields": ["name"], "limit": 5}])

XML-RPC (``/xmlrpc/2/*`` and the legacy ``/xmlrpc/*``), JSON-RPC
(``/jsonrpc``) and the web endpoints (``/web/dataset/call_kw``) all end
here. Each call runs in one transaction as the authenticated user, with
their rights and rules; methods whose name starts with ``_`` are refused.
Values go on the wire as Odoo sends them: dates as strings, ``False``
for empty, record sets as ids.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import os
import threading
import time
import xmlrpc.client
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from core.exceptions import AccessDenied, AccessError, MissingError, UserError
from core.orm.environment import Environment
from core.orm.models import BaseModel

#: the Odoo API level Troika speaks (client libraries pick their protocol from it)
SERVER_VERSION_INFO = [17, 0, 0, "final", 0, ""]
SERVER_SERIE = "17.0"
TROIKA_VERSION = "0.1.0"
#: model-level methods: called without ids (besides those marked @api.model)
MODEL_METHODS = frozenset({
    "create", "search", "search_read", "search_count", "search_fetch", "read_group",
    "fields_get", "default_get", "name_search", "name_create", "check_access_rights",
    "onchange", "new",
})
#: methods that return one record as its id (Odoo's @api.returns('self', ...))
RETURNS_ONE = frozenset({"copy", "name_create"})
RETRIES = 5
CREDENTIALS_TTL = 300.0


def version_info() -> dict:
    return {"server_version": SERVER_SERIE, "server_version_info": SERVER_VERSION_INFO,
            "server_serie": SERVER_SERIE, "protocol_version": 1,
            "troika_version": TROIKA_VERSION}


_SCALARS = frozenset({str, int, float, bool})


def to_wire(value: Any) -> Any:
    """A value as Odoo puts it on the wire (XML-RPC and JSON alike)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {key if type(key) is str else str(key): item if type(item) in _SCALARS
                else to_wire(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [item if type(item) in _SCALARS else to_wire(item) for item in value]
    if value is None:
        return False
    if isinstance(value, BaseModel):
        return value.ids
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("ascii", errors="replace")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(key): to_wire(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_wire(item) for item in value]
    return value


class Services:
    """The RPC services of one database.

    A call is one transaction. Its first statement reads the caller's user
    row (login, password hash, active, language, timezone); credentials
    verified in the last few minutes are trusted while that hash does not
    change, so only the first call of a client (or one after a password
    change) pays for the password hashing, in a transaction of its own. An
    API key is checked on every call (a fast lookup), so that revoking it
    takes effect at once.
    The user's context (``res.users.context_get``) is likewise kept per
    user, language and timezone for a few minutes.
    """

    def __init__(self, db: Any):
        self.db = db
        #: (uid, SHA-256 of the password) -> (password hash then, "password" or
        #: "api_key" or "unknown", expiry)
        self._credentials: dict[tuple[int, str], tuple[str, str, float]] = {}
        self._contexts: dict[tuple, tuple[dict, float]] = {}
        self._lock = threading.Lock()
        self._user_query: Any = None

    # -- entry point ---------------------------------------------------------
    def dispatch(self, service: str, method: str, params: list,
                 remote_addr: str | None = None) -> Any:
        """Call a service method; the result is ready for the wire."""
        handler = _SERVICES.get(service, {}).get(method) \
            if isinstance(service, str) and isinstance(method, str) else None
        if handler is None:
            raise UserError(f"Unknown method {method!r} of service {service!r}")
        return handler(self, list(params), remote_addr)

    # -- credentials -----------------------------------------------------------
    def check_database(self, name: Any) -> None:
        if name != self.db.name:
            raise AccessDenied(f"Database {name!r} does not exist on this server")

    def authenticate(self, login: str, password: str, remote_addr: str | None,
                     api_key: bool = True) -> int:
        """The uid of these credentials (an API key is accepted unless ``api_key=False``)."""
        with self.db.env() as env:
            return env["res.users"].authenticate(login, password, remote_addr=remote_addr,
                                                 api_key=api_key)

    def check_uid(self, uid: Any, password: Any, remote_addr: str | None) -> int:
        """Verify the credentials of a call in a transaction of its own (the
        calls themselves verify them in theirs: ``in_transaction``)."""
        return self.in_transaction(uid, lambda env: uid, password, remote_addr)

    def _key(self, uid: int, password: str) -> tuple[int, str]:
        return uid, hashlib.sha256(password.encode()).hexdigest()

    def _verified(self, env: Environment, key: tuple[int, str], password: str,
                  stored: str | None) -> bool:
        """Whether these credentials were verified lately and the user's password
        has not changed since; an API key is looked up again (a revoked key
        stops working at once; the lookup is one query and a SHA-256)."""
        with self._lock:
            known = self._credentials.get(key)
        if not known or known[0] != (stored or "") or known[2] <= time.monotonic():
            return False
        if known[1] == "password":
            return True
        keys = env["res.users.apikeys"].sudo() if "res.users.apikeys" in env.registry \
            else None
        is_key = bool(keys is not None and keys._check_key(key[0], password))
        with self._lock:
            if known[1] == "api_key" and not is_key:
                self._credentials.pop(key, None)
                raise AccessDenied()
            if known[1] == "unknown":       # first call after authenticate: which was it
                self._credentials[key] = (known[0], "api_key" if is_key else "password",
                                          known[2])
        return True

    def _remember(self, key: tuple[int, str], stored: str | None) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._credentials) > 10_000:
                self._credentials = {k: v for k, v in self._credentials.items() if v[2] > now}
            self._credentials[key] = (stored or "", "unknown", now + CREDENTIALS_TTL)

    def _user(self, env: Environment, uid: int) -> Any:
        """The row of ``uid``: login, password (hash), active, lang, tz."""
        if self._user_query is None or self._user_query[0] is not env.registry:
            users = env.registry["res.users"]._table_obj
            partners = env.registry["res.partner"]._table_obj
            self._user_query = (env.registry, (
                sa.select(users.c.login, users.c.password, users.c.active,
                          partners.c.lang, partners.c.tz)
                .select_from(users.outerjoin(partners, partners.c.id == users.c.partner_id))
                .where(users.c.id == sa.bindparam("uid"))))
        return env.transaction.connection.execute(self._user_query[1], {"uid": uid}).first()

    def _context(self, env: Environment, uid: int, user: Any) -> dict:
        """``context_get()`` of the user, kept a few minutes per language and timezone."""
        key = (uid, user.lang, user.tz)
        now = time.monotonic()
        with self._lock:
            known = self._contexts.get(key)
        if known and known[1] > now:
            return known[0]
        context = to_wire(env["res.users"].sudo().browse(uid).context_get())
        with self._lock:
            if len(self._contexts) > 10_000:
                self._contexts.clear()
            self._contexts[key] = (context, now + CREDENTIALS_TTL)
        return context

    # -- calls -------------------------------------------------------------------
    def execute_kw(self, uid: int, model: str, method: str, args: list, kwargs: dict,
                   password: str | None = None, remote_addr: str | None = None) -> Any:
        return self.in_transaction(uid, lambda env: call_kw(env, model, method, args, kwargs),
                                   password, remote_addr)

    def in_transaction(self, uid: int, work: Callable[[Environment], Any],
                       password: str | None = None, remote_addr: str | None = None) -> Any:
        """Run ``work`` in one transaction as the active user ``uid``, with the
        user's context; the result comes back ready for the wire.

        With ``password``, the credentials are checked first, in the same
        transaction when they were verified recently, else by
        ``authenticate`` in a transaction of its own. Serialization
        failures and deadlocks (PostgreSQL) are retried a few times, and so is
        a call whose pooled connection the server had closed.
        """
        if not isinstance(uid, int) or isinstance(uid, bool) or \
                (password is not None and not isinstance(password, str)):
            raise AccessDenied()
        key = self._key(uid, password) if password is not None else None
        for attempt in range(RETRIES):
            try:
                with self.db.env(user=uid) as env:
                    user = self._user(env, uid)
                    if user is None or not user.active:
                        raise AccessDenied()
                    if key is None or self._verified(env, key, password, user.password):
                        context = self._context(env, uid, user)
                        return to_wire(work(env(context={**context, **env.context})))
                    login, stored = user.login, user.password
                # not verified lately: check the password (slow on purpose), then call
                self.authenticate(login, password, remote_addr)
                self._remember(key, stored)
            except sa.exc.DBAPIError as exc:
                code = getattr(exc.orig, "pgcode", None)
                if attempt < RETRIES - 1 and exc.connection_invalidated:
                    continue        # the server closed the connection: a new one
                if code in ("40001", "40P01") and attempt < RETRIES - 1:
                    time.sleep(0.05 * 2 ** attempt)
                    continue
                raise
        raise AccessDenied()


def call_kw(env: Environment, model_name: str, method: str, args: list, kwargs: dict) -> Any:
    """Call ``method`` of ``model_name`` as Odoo's RPC does."""
    if not isinstance(method, str) or not method or method.startswith("_"):
        raise AccessError(f"Private methods (such as {method}) cannot be called remotely.")
    if not isinstance(model_name, str) or model_name not in env:
        raise UserError(f"Object {model_name} doesn't exist")
    args = list(args or [])
    kwargs = dict(kwargs or {})
    context = kwargs.pop("context", None)
    model = env[model_name]
    if isinstance(context, dict):
        model = model.with_context({**env.context, **context})
    function = getattr(type(model), method, None)
    if not callable(function) or isinstance(function, type):
        raise UserError(f"The method '{method}' does not exist on the model '{model_name}'")
    if method in MODEL_METHODS or getattr(function, "_api_model", False):
        result = getattr(model, method)(*args, **kwargs)
        if method == "create" and isinstance(result, BaseModel):
            return result.id if args and isinstance(args[0], dict) else result.ids
    else:
        ids = args.pop(0) if args else kwargs.pop("ids", [])
        if isinstance(ids, int) and not isinstance(ids, bool):
            ids = [ids]
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise UserError(f"{model_name}.{method}: the first argument must be a list of ids")
        result = getattr(model.browse(ids), method)(*args, **kwargs)
        if method in RETURNS_ONE and isinstance(result, BaseModel):
            return result.id
    return result


# ---------------------------------------------------------------------------
# services
# ---------------------------------------------------------------------------
def _common_version(services: Services, params: list, addr: str | None) -> dict:
    return version_info()


def _common_login(services: Services, params: list, addr: str | None) -> Any:
    db, login, password = (params + [None, None, None])[:3]
    try:
        services.check_database(db)
        return services.authenticate(login, password, addr)
    except AccessDenied:
        return False


def _common_authenticate(services: Services, params: list, addr: str | None) -> Any:
    return _common_login(services, params[:3], addr)


def _object_execute_kw(services: Services, params: list, addr: str | None) -> Any:
    if len(params) < 6:
        raise UserError("execute_kw(db, uid, password, model, method, args[, kwargs])")
    db, uid, password, model, method, args = params[:6]
    kwargs = params[6] if len(params) > 6 else {}
    services.check_database(db)
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        services.check_uid(uid, password, addr)
        raise UserError("execute_kw: args must be a list and kwargs a dict")
    return services.execute_kw(uid, model, method, args, kwargs, password, addr)


def _object_execute(services: Services, params: list, addr: str | None) -> Any:
    if len(params) < 5:
        raise UserError("execute(db, uid, password, model, method, *args)")
    db, uid, password, model, method = params[:5]
    services.check_database(db)
    return services.execute_kw(uid, model, method, list(params[5:]), {}, password, addr)


def _db_list(services: Services, params: list, addr: str | None) -> list:
    return [services.db.name]


def _db_exist(services: Services, params: list, addr: str | None) -> bool:
    return bool(params) and params[0] == services.db.name


def _db_list_lang(services: Services, params: list, addr: str | None) -> list:
    with services.db.env() as env:
        if "res.lang" not in env:
            return [["en_US", "English (US)"]]
        langs = env["res.lang"].with_context(active_test=False).search([])
        return [[lang.code, lang.name] for lang in langs]


def _db_manager(services: Services, params: list, addr: str | None) -> Any:
    master = os.environ.get("TROIKA_MASTER_PASSWORD")
    if not master or os.environ.get("TROIKA_DB_MANAGER") != "1":
        raise AccessDenied("The database manager is disabled on this server")
    raise AccessDenied("Creating and dropping databases is done with "
                       "`python server.py init` on the server")


_SERVICES: dict[str, dict[str, Callable]] = {
    "common": {"version": _common_version, "login": _common_login,
               "authenticate": _common_authenticate,
               "about": lambda s, p, a: f"Troika {TROIKA_VERSION}"},
    "object": {"execute_kw": _object_execute_kw, "execute": _object_execute},
    "db": {"list": _db_list, "server_version": lambda s, p, a: SERVER_SERIE,
           "db_exist": _db_exist, "list_lang": _db_list_lang,
           "create_database": _db_manager, "drop": _db_manager, "duplicate_database":
           _db_manager, "dump": _db_manager, "restore": _db_manager},
}


# ---------------------------------------------------------------------------
# XML-RPC requests, parsed without DTDs
# ---------------------------------------------------------------------------
class _Refused(Exception):
    pass


def xmlrpc_response(value: Any) -> str:
    """The XML-RPC response carrying ``value`` (a wire value: see ``to_wire``),
    as ``xmlrpc.client.dumps((value,), methodresponse=True, allow_none=True)``
    writes it, several times faster for the dicts and lists of a read."""
    parts = ["<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"]
    _marshal(value, parts.append)
    parts.append("</param>\n</params>\n</methodResponse>\n")
    return "".join(parts)


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _scalar(value: Any) -> str | None:
    """The XML of a string, boolean, 32-bit integer, float or None; None for others."""
    kind = type(value)
    if kind is str:
        return f"<value><string>{_escape(value)}</string></value>\n"
    if kind is bool:
        return "<value><boolean>1</boolean></value>\n" if value else \
            "<value><boolean>0</boolean></value>\n"
    if kind is int and -2**31 <= value < 2**31:
        return f"<value><int>{value}</int></value>\n"
    if kind is float:
        return f"<value><double>{value!r}</double></value>\n"
    if value is None:
        return "<value><nil/></value>"
    return None


def _marshal(value: Any, write: Callable[[str], Any]) -> None:
    text = _scalar(value)
    if text is not None:
        write(text)
    elif type(value) is dict:
        write("<value><struct>\n")
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("dictionary key must be string")
            write(f"<member>\n<name>{_escape(key)}</name>\n")
            text = _scalar(item)
            if text is None:
                _marshal(item, write)
            else:
                write(text)
            write("</member>\n")
        write("</struct></value>\n")
    elif type(value) is list or type(value) is tuple:
        write("<value><array><data>\n")
        for item in value:
            text = _scalar(item)
            if text is None:
                _marshal(item, write)
            else:
                write(text)
        write("</data></array></value>\n")
    else:   # big integers, binary, dates...: the standard library's way
        marshaller = xmlrpc.client.Marshaller(allow_none=True)
        write(marshaller.dumps((value,))[len("<params>\n<param>\n"):-len("</param>\n</params>\n")])


def _refuse_dtd(*_args: Any) -> None:
    raise _Refused()


def xmlrpc_loads(body: bytes) -> tuple[tuple, str]:
    """(params, method name) of an XML-RPC request. A document type
    declaration (and so any entity) is refused whatever the encoding, as
    defusedxml does: no entity expansion, no external resources."""
    parser, unmarshaller = xmlrpc.client.getparser(use_builtin_types=True)
    expat = parser._parser
    expat.StartDoctypeDeclHandler = _refuse_dtd
    expat.EntityDeclHandler = _refuse_dtd
    expat.UnparsedEntityDeclHandler = _refuse_dtd
    expat.ExternalEntityRefHandler = _refuse_dtd
    try:
        parser.feed(body)
        parser.close()
        params = unmarshaller.close()
    except _Refused:
        raise UserError("XML-RPC requests may not contain a DTD or entities") from None
    except Exception as exc:  # noqa: BLE001 - any parse error is the caller's
        raise UserError(f"Malformed XML-RPC request: {exc}") from None
    method = unmarshaller.getmethodname()
    if not isinstance(method, str):
        raise UserError("Malformed XML-RPC request: no method name")
    return params, method


# ---------------------------------------------------------------------------
# errors as clients expect them
# ---------------------------------------------------------------------------
def error_name(exc: BaseException) -> str:
    """The exception's name as Odoo's clients test it (``odoo.exceptions.X``)."""
    if isinstance(exc, (AccessDenied, UserError)):
        return f"odoo.exceptions.{type(exc).__name__}"
    if isinstance(exc, (ValueError, TypeError)):
        return f"builtins.{type(exc).__name__}"
    return "builtins.Exception"


def error_message(exc: BaseException) -> str:
    if isinstance(exc, AccessDenied):
        return str(exc) or "Access Denied"
    if isinstance(exc, (UserError, ValueError, TypeError)):
        return str(exc.args[0]) if exc.args else type(exc).__name__
    return "Internal server error"


def fault_code(exc: BaseException) -> int:
    """XML-RPC fault codes of /xmlrpc/2: 1 server, 2 user, 3 login, 4 access."""
    if isinstance(exc, AccessDenied):
        return 3
    if isinstance(exc, AccessError):
        return 4
    if isinstance(exc, (UserError, ValueError, TypeError)):
        return 2
    return 1


def legacy_fault_code(exc: BaseException) -> str:
    """The fault code of the legacy /xmlrpc paths: a string, as old clients parse it."""
    if isinstance(exc, AccessDenied):
        return "AccessDenied"
    for kind in (MissingError, AccessError, UserError):
        if isinstance(exc, kind):
            return f"warning -- {kind.__name__}\n\n{error_message(exc)}"
    return error_message(exc)
