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
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from core.exceptions import AccessDenied, AccessError, UserError
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


def to_wire(value: Any) -> Any:
    """A value as Odoo puts it on the wire (XML-RPC and JSON alike)."""
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
    """The RPC services of one database."""

    def __init__(self, db: Any):
        self.db = db
        self._credentials: dict[tuple[int, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    # -- entry point ---------------------------------------------------------
    def dispatch(self, service: str, method: str, params: list,
                 remote_addr: str | None = None) -> Any:
        handler = _SERVICES.get(service, {}).get(method)
        if handler is None:
            raise UserError(f"Unknown method {method!r} of service {service!r}")
        return to_wire(handler(self, list(params), remote_addr))

    # -- credentials -----------------------------------------------------------
    def check_database(self, name: Any) -> None:
        if name != self.db.name:
            raise AccessDenied(f"Database {name!r} does not exist on this server")

    def authenticate(self, login: str, password: str, remote_addr: str | None) -> int:
        with self.db.env() as env:
            return env["res.users"].authenticate(login, password, remote_addr=remote_addr,
                                                 api_key=True)

    def check_uid(self, uid: Any, password: Any, remote_addr: str | None) -> int:
        """Verify the credentials of a call; verified pairs are remembered for a
        few minutes, as long as the user's stored password does not change."""
        if not isinstance(uid, int) or isinstance(uid, bool) or not isinstance(password, str):
            raise AccessDenied()
        key = (uid, hashlib.sha256(password.encode()).hexdigest())
        with self.db.env() as env:
            users = env.registry["res.users"]._table_obj
            row = env.transaction.execute(sa.select(users.c.login, users.c.password,
                                                    users.c.active)
                                          .where(users.c.id == uid)).first()
            if row is None or not row.active:
                raise AccessDenied()
            with self._lock:
                known = self._credentials.get(key)
            if known and known[0] == (row.password or "") and known[1] > time.monotonic():
                return uid
        self.authenticate(row.login, password, remote_addr)
        with self._lock:
            self._credentials[key] = (row.password or "", time.monotonic() + CREDENTIALS_TTL)
        return uid

    # -- calls -------------------------------------------------------------------
    def execute_kw(self, uid: int, model: str, method: str, args: list,
                   kwargs: dict) -> Any:
        return self.in_transaction(uid, lambda env: call_kw(env, model, method, args, kwargs))

    def in_transaction(self, uid: int, work: Callable[[Environment], Any]) -> Any:
        """Run ``work`` in a transaction as ``uid``; retry serialization failures."""
        for attempt in range(RETRIES):
            try:
                with self.db.env(user=uid) as env:
                    context = env["res.users"].sudo().browse(uid).context_get() \
                        if "res.users" in env.registry else {}
                    return to_wire(work(env(context={**context, **env.context})))
            except sa.exc.DBAPIError as exc:
                code = getattr(exc.orig, "pgcode", None)
                if code in ("40001", "40P01") and attempt < RETRIES - 1:
                    time.sleep(0.05 * 2 ** attempt)
                    continue
                raise
        raise AssertionError("unreachable")


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
    services.check_uid(uid, password, addr)
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise UserError("execute_kw: args must be a list and kwargs a dict")
    return services.execute_kw(uid, model, method, args, kwargs)


def _object_execute(services: Services, params: list, addr: str | None) -> Any:
    if len(params) < 5:
        raise UserError("execute(db, uid, password, model, method, *args)")
    db, uid, password, model, method = params[:5]
    services.check_database(db)
    services.check_uid(uid, password, addr)
    return services.execute_kw(uid, model, method, list(params[5:]), {})


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
    if isinstance(exc, AccessError):
        return f"warning -- AccessError\n\n{error_message(exc)}"
    if isinstance(exc, UserError):
        return f"warning -- Warning\n\n{error_message(exc)}"
    return error_message(exc)
