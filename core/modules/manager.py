"""Installing, upgrading and uninstalling addons on a live database.

    db = open_database("sqlite:///var/troika.db")   # creates it and installs base
    db.install(["crm"])            # crm and what it needs, with auto_install bridges
    db.upgrade(["crm"])            # reload data, add columns, run migrations
    db.uninstall(["crm"])          # refused while installed modules depend on it

Each operation runs in one transaction: the schema changes, the data
files and the module states are committed together or not at all (both
SQLite and PostgreSQL roll DDL back). The registry, composed from the
model classes of the installed modules in dependency order, is replaced
only after the commit.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import addons as addons_package
from core.exceptions import UserError
from core.i18n import records as i18n_records
from core.modules import graph
from core.modules.data import DataLoader
from core.modules.manifest import Manifest, version_tuple
from core.modules.signals import SignalsMixin, bump
from core.orm import sql
from core.orm.database import Database as OrmDatabase
from core.orm.environment import SUPERUSER_ID, Environment, Transaction
from core.orm.models import AbstractModel, BaseModel, Model, TransientModel
from core.orm.registry import Registry
from core.orm.schema import default_filler, sync_schema
from core.security import access
from core.views import store as views_store
from core.views import validation as views_validation
from core.workflow import loader as workflow_loader

DEFAULT_URL = "sqlite:///var/troika.db"
Progress = Callable[[str], None]
_BASES = (BaseModel, Model, AbstractModel, TransientModel)


def default_url() -> str:
    return os.environ.get("TROIKA_DB_URL") or DEFAULT_URL


def check_url(url: str | sa.URL) -> sa.URL:
    """The parsed URL of a database Troika can use, else a UserError saying why."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise UserError(f"Invalid database URL {str(url)!r}: use sqlite:///path or "
                        "postgresql+psycopg2://user@host/dbname") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        shown = parsed.render_as_string(hide_password=True)
        raise UserError(f"Unsupported database URL {shown!r}: use sqlite:///path or "
                        "postgresql+psycopg2://user@host/dbname")
    return parsed


class Database(SignalsMixin, OrmDatabase):
    """A database whose registry is composed from its installed addons; it
    notices the module operations of other processes (``check_signals``)."""

    def __init__(self, url: str | sa.URL, addons_path: str | Sequence | None = None,
                 progress: Progress | None = None):
        super().__init__(url, Registry())
        self.progress: Progress = progress or (lambda message: None)
        try:
            self.addons_paths = graph.addons_paths(addons_path)
            _extend_package_path(self.addons_paths)
            self._init_signals()        # before composing: a change meanwhile is seen later
            self.on_cache_change(lambda: views_store.clear_caches(self.registry))
            self.on_cache_change(lambda: access.shared_cache(self.registry).clear())
            self.addons: dict[str, Manifest] = graph.discover(self.addons_paths)
            installed = self.installed_modules()
            if installed and self.pending_upgrades():
                # newer code may need new dependencies: compose with them until
                # the upgrade (open_database's default) installs them
                installed = graph.install_order(installed, self.addons)
            if installed:
                self.registry = self._build_registry(installed)
        except BaseException:
            self.engine.dispose()
            raise

    # -- state -------------------------------------------------------------
    def installed_versions(self) -> dict[str, str]:
        """{module: installed version} read from the database."""
        return installed_versions(self.engine)

    def installed_modules(self, versions: dict[str, str] | None = None) -> list[str]:
        """The installed modules in dependency order (of ``versions`` if given)."""
        installed = self.installed_versions() if versions is None else versions
        missing = sorted(set(installed) - set(self.addons))
        if missing:
            raise UserError(f"Installed modules not found in the addons path: "
                            f"{', '.join(missing)}")
        # the code may have gained dependencies that are not installed yet
        return [name for name in graph.install_order(installed, self.addons)
                if name in installed]

    def pending_upgrades(self, versions: dict[str, str] | None = None) -> list[str]:
        """Installed modules whose code has a higher version than the database."""
        versions = self.installed_versions() if versions is None else versions
        return [name for name, version in versions.items()
                if name in self.addons and
                self.addons[name].version_info > version_tuple(version)]

    def downgraded_modules(self) -> list[str]:
        """Installed modules whose code has a lower version than the database."""
        return sorted(name for name, version in self.installed_versions().items()
                      if name in self.addons
                      and self.addons[name].version_info < version_tuple(version))

    def _refuse_downgrades(self) -> None:
        """The schema and data of a newer version must not meet older code."""
        older = self.downgraded_modules()
        if older:
            versions = self.installed_versions()
            details = ", ".join(f"{name} {versions[name]} installed, "
                                f"{self.addons[name].version} in {self.addons[name].path}"
                                for name in older)
            raise UserError(f"The addons path holds older versions of installed modules "
                            f"({details}); put the newer code first in the addons path")

    # -- operations ----------------------------------------------------------
    def install(self, names: Iterable[str], demo: bool = False) -> list[str]:
        """Install modules and their dependencies; returns what was installed."""
        names = list(names)
        self._refuse_downgrades()
        planned = self.installed_versions()
        installed = self.installed_modules(planned)
        wanted = graph.with_auto_install(graph.closure(names + installed, self.addons),
                                         self.addons)
        order = graph.install_order(wanted, self.addons)
        new = [name for name in order if name not in installed]
        if not new:
            return []
        for name in new:
            missing = self.addons[name].missing_python_packages()
            if missing:
                raise UserError(f"Module {name} needs the Python packages {missing}; "
                                f"install them first (pip install {' '.join(missing)})")
        # modules whose code was bumped are upgraded with the install: their new
        # columns are created now, so their migrations and data must run now too
        todo = set(self.pending_upgrades(planned))
        for name in list(todo):
            todo.update(graph.dependents(name, installed, self.addons))
        update = [name for name in order if name in todo]
        self._apply(order, install=new, update=update, demo=demo, planned=planned)
        return new

    def upgrade(self, names: Iterable[str] | None = None, demo: bool = False) -> list[str]:
        """Upgrade modules (default: those whose version was bumped) and the
        installed modules that depend on them; returns what was upgraded."""
        self._refuse_downgrades()
        planned = self.installed_versions()
        installed = self.installed_modules(planned)
        names = list(names) if names is not None else self.pending_upgrades(planned)
        unknown = [name for name in names if name not in installed]
        if unknown:
            raise UserError(f"Cannot upgrade modules that are not installed: "
                            f"{', '.join(unknown)}")
        if not names:
            return []
        todo = set(names)
        for name in names:
            todo.update(graph.dependents(name, installed, self.addons))
        # new dependencies of the upgraded code, and the bridges they complete
        wanted = graph.with_auto_install(graph.closure(installed, self.addons), self.addons)
        order = graph.install_order(wanted, self.addons)
        new = [name for name in order if name not in installed]
        update = [name for name in order if name in todo]
        self._apply(order, install=new, update=update, demo=demo, planned=planned)
        return update

    def uninstall(self, names: Iterable[str]) -> list[str]:
        """Remove modules: their records, then their columns and tables."""
        names = list(names)
        self._refuse_downgrades()
        planned = self.installed_versions()
        installed = self.installed_modules(planned)
        unknown = [name for name in names if name not in installed]
        if unknown:
            raise UserError(f"Cannot uninstall modules that are not installed: "
                            f"{', '.join(unknown)}")
        if "base" in names:
            raise UserError("The base module cannot be uninstalled")
        for name in names:
            blocking = [d for d in graph.dependents(name, installed, self.addons)
                        if d not in names]
            if blocking:
                raise UserError(f"Cannot uninstall {name}: installed modules depend on it "
                                f"({', '.join(blocking)}); uninstall them first")
        remaining = [name for name in installed if name not in names]
        new_registry = self._build_registry(remaining)
        # what is installed now (another process may have changed it since
        # self.registry was composed)
        old_registry = self._build_registry(installed)
        with self._transaction(old_registry, expected=planned) as env:
            from core.modules import reflection
            from core.modules import uninstall as uninstaller

            ordered = list(reversed([n for n in installed if n in names]))
            for name in ordered:
                self.progress(f"{name}: uninstalling")
                self._call_hook(env, name, "uninstall_hook")
            new_env = uninstaller.remove_modules(env, ordered, old_registry, new_registry)
            reflection.reflect_models(new_env, new_registry)
            new_env.transaction.flush()
        self.registry = new_registry
        return names

    # -- the work ------------------------------------------------------------
    def _apply(self, order: list[str], install: list[str], update: list[str],
               demo: bool, planned: dict[str, str]) -> None:
        """``planned``: the installed versions the operation was planned on."""
        registry = self._build_registry(order)
        old_versions = planned
        with self._transaction(registry, expected=planned) as env:
            for name in update:
                self._migrate(env, name, old_versions.get(name, "0"), "pre")
            actions = sync_schema(env.connection, registry, default_filler(env))
            for action in actions:
                self.progress(f"schema: {action}")
            # pre_init_hook(env): the tables exist, no record was written yet (base
            # uses it to create what every write refers to, e.g. the superuser)
            for name in [n for n in order if n in install]:
                self._call_hook(env, name, "pre_init_hook")
            from core.modules import reflection

            reflection.reflect_models(env, registry)
            reflection.sync_module_records(env, self.addons)
            steps = [name for name in order if name in install or name in update]
            for index, name in enumerate(steps, 1):
                manifest = self.addons[name]
                mode = "init" if name in install else "update"
                verb = "installing" if mode == "init" else "upgrading"
                self.progress(f"[{index}/{len(steps)}] {name}: {verb} {manifest.version}")
                loader = DataLoader(env, name, mode=mode, module_path=manifest.path)
                self._load_files(loader, manifest, manifest.data)
                with_demo = demo or (mode == "update" and reflection.has_demo(env, name))
                if with_demo:   # demo records are noupdate: users may change them
                    self._load_files(loader, manifest, manifest.demo, noupdate=True)
                views_validation.validate_module_views(env, loader)
                if mode == "init":
                    self._call_hook(env, name, "post_init_hook")
                else:
                    reflection.remove_obsolete_records(env, name, loader.loaded_xmlids)
                    self._migrate(env, name, old_versions.get(name, "0"), "post")
                i18n_records.load_data_translations(env, name, loader.loaded_xmlids)
                reflection.mark_installed(env, manifest, demo=with_demo)
            i18n_records.load_metadata_translations(env, self.addons)
        self.registry = registry

    def _load_files(self, loader: DataLoader, manifest: Manifest, files: list[str],
                    noupdate: bool = False) -> None:
        for number, relative in enumerate(files, 1):
            self.progress(f"    {manifest.name}: loading {relative} ({number}/{len(files)})")
            loader.load_file(manifest.path / relative, noupdate=noupdate)

    @contextmanager
    def _transaction(self, registry: Registry,
                     expected: dict[str, str] | None = None) -> Iterator[Environment]:
        """One transaction for a whole operation, taken under the module lock
        (PostgreSQL: an advisory lock; SQLite: the write lock of BEGIN IMMEDIATE);
        ``expected``: the installed versions the operation was planned on."""
        with self.engine.connect() as connection:
            outer = connection.begin()
            try:
                _lock_modules(connection)
                if expected is not None and _read_versions(connection) != expected:
                    raise UserError("Another process changed the installed modules "
                                    "meanwhile; try again")
                env = Environment(Transaction(registry, connection),
                                  _superuser_uid(connection), {}, True)
                env.transaction.progress = self.progress   # demo data's progress bars
                yield env
                env.transaction.flush()
                # in the transaction: the other processes reload once it committed
                signal = bump(connection, "registry")
                outer.commit()
                self._saw_own("registry", signal)
                env.transaction.committed()
            except BaseException:
                if outer.is_active:
                    outer.rollback()
                raise

    def _call_hook(self, env: Environment, name: str, hook: str) -> None:
        function_name = getattr(self.addons[name], hook)
        if not function_name:
            return
        package = import_addon(name, self.addons[name].path)
        function = getattr(package, function_name, None)
        if function is None:
            raise UserError(f"Module {name}: {hook} {function_name!r} is not defined in its "
                            "__init__.py")
        function(env)

    def _migrate(self, env: Environment, name: str, installed: str, stage: str) -> None:
        """Run ``migrations/<version>/<stage>-*.py`` for versions after ``installed``."""
        manifest = self.addons[name]
        folder = manifest.path / "migrations"
        if not folder.is_dir():
            return
        current = version_tuple(installed)
        target = manifest.version_info
        versions = sorted((version_tuple(d.name), d) for d in folder.iterdir()
                          if d.is_dir() and _is_version(d.name))
        for version, directory in versions:
            if not current < version <= target:
                continue
            for script in sorted(directory.glob(f"{stage}-*.py")):
                self.progress(f"    {name}: migration {directory.name}/{script.name}")
                spec = importlib.util.spec_from_file_location(
                    f"troika_migration_{name}_{directory.name}_{script.stem}".replace(".", "_")
                    .replace("-", "_"), script)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                if not hasattr(module, "migrate"):
                    raise UserError(f"{script}: a migration script defines migrate(env, version)")
                module.migrate(env, installed)
                env.transaction.flush()

    # -- registry ------------------------------------------------------------
    def reload_registry(self) -> None:
        """Compose the registry again from the modules installed now (another
        process installed, upgraded or uninstalled some): ``check_signals``."""
        self.addons = graph.discover(self.addons_paths)   # new code may have come
        installed = self.installed_modules()
        self.registry = self._build_registry(installed) if installed else Registry()
        self.progress(f"registry composed again: {len(installed)} modules")

    def close(self) -> None:
        self.close_signals()
        super().close()

    def _build_registry(self, order: list[str]) -> Registry:
        registry = Registry()
        for name in order:
            for cls in model_classes(name, self.addons[name].path):
                registry.add(cls, module=name)
            manifest = self.addons[name]
            files = [manifest.path / f for f in manifest.data + manifest.demo]
            for model, triggers in workflow_loader.scan_triggers(files).items():
                registry.workflow_triggers.setdefault(model, set()).update(triggers)
        registry.setup()
        registry.installed_modules = list(order)
        return registry


def installed_versions(engine: sa.Engine) -> dict[str, str]:
    """{module: installed version} of a database, without composing its registry."""
    with engine.connect() as connection:
        return _read_versions(connection)


def _read_versions(connection: sa.Connection) -> dict[str, str]:
    if not sa.inspect(connection).has_table("ir_module_module"):
        return {}
    table = sa.table("ir_module_module", sa.column("name"), sa.column("state"),
                     sa.column("latest_version"))
    rows = connection.execute(sa.select(table.c.name, table.c.latest_version).where(
        table.c.state.in_(["installed", "to upgrade"]))).all()
    return {name: version or "0" for name, version in rows}


#: the PostgreSQL advisory lock key that serialises module operations
_MODULE_LOCK = 0x7472_6F69   # "troi"


def _lock_modules(connection: sa.Connection) -> None:
    """Wait for other installs / upgrades / uninstalls of this database to end."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MODULE_LOCK})")


def _superuser_uid(connection: sa.Connection) -> int | None:
    """The superuser's id once its user exists; None while base is being
    installed (creation and write stamps then stay empty)."""
    if not sa.inspect(connection).has_table("res_users"):
        return None
    users = sa.table("res_users", sa.column("id"))
    found = connection.execute(sa.select(users.c.id).where(users.c.id == SUPERUSER_ID)).first()
    return SUPERUSER_ID if found else None


def _is_version(text: str) -> bool:
    try:
        version_tuple(text)
    except ValueError:
        return False
    return True


def _extend_package_path(paths: list[Path]) -> None:
    """Let ``import addons.<name>`` find addons in every addons path."""
    for path in paths:
        if str(path) not in addons_package.__path__:
            addons_package.__path__.append(str(path))


def _forget_stale(package: str, path: Path | None) -> None:
    """Drop an addon imported from another folder than the one now in use
    (a newer version of it on another addons path)."""
    loaded = sys.modules.get(package)
    if loaded is None or path is None:
        return
    location = Path(getattr(loaded, "__file__", "") or "").resolve().parent
    if location != path.resolve():
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


#: addons are imported (and dropped from sys.modules) by one thread at a time
_IMPORT_LOCK = threading.RLock()


def import_addon(module: str, path: Path | None = None) -> Any:
    """Import the Python package of addon ``module`` from its folder ``path``.

    The folder is given explicitly: when several addons paths hold an addon
    of this name, ``addons.__path__`` order (which grows as databases with
    other paths are opened) must not decide which one is imported.
    """
    with _IMPORT_LOCK:
        return _import_addon(module, path)


def _import_addon(module: str, path: Path | None) -> Any:
    package = f"addons.{module}"
    _forget_stale(package, path)
    if package in sys.modules or path is None:
        return importlib.import_module(package)
    if not (path / "__init__.py").is_file():
        raise UserError(f"Addon {module}: {path} has no __init__.py (an addon is a Python "
                        "package, even one that only holds data)")
    spec = importlib.util.spec_from_file_location(
        package, path / "__init__.py", submodule_search_locations=[str(path)])
    if spec is None or spec.loader is None:
        raise UserError(f"Addon {module}: {path / '__init__.py'} cannot be imported")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[package] = loaded
    try:
        spec.loader.exec_module(loaded)
    except BaseException:
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        raise
    setattr(addons_package, module, loaded)
    return loaded


def model_classes(module: str, manifest_path: Path | None = None) -> list[type]:
    """The model classes an addon declares, in the order it declares them."""
    package = f"addons.{module}"
    with _IMPORT_LOCK:
        import_addon(module, manifest_path)
        modules = list(sys.modules.items())
    classes: list[type] = []
    seen: set[type] = set()
    for name, python_module in modules:
        if python_module is None or not (name == package or name.startswith(package + ".")):
            continue
        if ".tests" in name[len(package):] or ".migrations" in name[len(package):]:
            continue
        for value in vars(python_module).values():
            if (isinstance(value, type) and issubclass(value, BaseModel)
                    and value not in _BASES and value.__module__ == name
                    and not vars(value).get("_final") and value not in seen):
                seen.add(value)
                classes.append(value)
    return classes


def open_database(url: str | None = None, addons_path: str | Sequence | None = None,
                  demo: bool = False, progress: Progress | None = None,
                  upgrade: bool = True) -> Database:
    """Open (creating it if needed) a database; a new one gets ``base`` installed.

    Installed modules whose code carries a higher version are upgraded
    unless ``upgrade=False``.
    """
    url = url or default_url()
    check_url(url)
    if not sql.database_exists(url):
        sql.create_database(url)
    db = Database(url, addons_path, progress)
    try:
        if not db.installed_versions():
            db.install(["base"], demo=demo)
        elif upgrade and db.pending_upgrades():
            db.upgrade()
    except BaseException:
        db.close()
        raise
    return db
