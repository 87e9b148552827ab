"""Addon manifests: ``__manifest__.py`` read as a literal, never executed.

    manifest = read_manifest(Path("addons/crm"))
    manifest.name, manifest.depends, manifest.data

A manifest is a dict literal. It is parsed with ``ast.literal_eval`` and
checked key by key; a bad one raises ``ManifestError`` naming the file
and the key. Keys Troika does not know are kept in ``extra``.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.exceptions import UserError

MANIFEST = "__manifest__.py"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_VERSION = re.compile(r"^\d+(\.\d+)*$")


class ManifestError(UserError):
    """A manifest that cannot be used, with the file and the key at fault."""


@dataclass
class Manifest:
    name: str                      # technical name: the folder's name
    path: Path
    title: str = ""                # the manifest's "name"
    version: str = "1.0"
    summary: str = ""
    description: str = ""
    category: str = "Uncategorized"
    author: str = ""
    website: str = ""
    license: str = "LGPL-3"
    depends: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    demo: list[str] = field(default_factory=list)
    auto_install: bool | list[str] = False
    application: bool = False
    installable: bool = True
    sequence: int = 100
    external_dependencies: dict[str, list[str]] = field(default_factory=dict)
    pre_init_hook: str | None = None
    post_init_hook: str | None = None
    uninstall_hook: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def version_info(self) -> tuple[int, ...]:
        return version_tuple(self.version)

    @property
    def auto_install_depends(self) -> set[str] | None:
        """The modules whose presence installs this one, None if never automatic."""
        if self.auto_install is True:
            return set(self.depends)
        if isinstance(self.auto_install, list) and self.auto_install:
            return set(self.auto_install)
        return None

    def missing_python_packages(self) -> list[str]:
        return [name for name in self.external_dependencies.get("python", [])
                if not _importable(name)]


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):   # a dotted name whose parent is missing
        return False


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


_STR_KEYS = ("version", "summary", "description", "category", "author", "website", "license",
             "pre_init_hook", "post_init_hook", "uninstall_hook")
_LIST_KEYS = ("depends", "data", "demo")
_BOOL_KEYS = ("application", "installable")


def read_manifest(path: Path) -> Manifest:
    """Read and check the manifest of the addon in folder ``path``."""
    file = path / MANIFEST
    name = path.name
    if not _NAME.match(name):
        raise ManifestError(f"{file}: the addon folder name {name!r} must be lowercase letters, "
                            "digits and underscores, starting with a letter")
    try:
        source = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(f"{file}: cannot be read ({exc.strerror})") from None
    try:
        tree = ast.parse(source, filename=str(file), mode="eval")
        values = ast.literal_eval(tree)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        where = f"{file}:{line}" if line else str(file)
        raise ManifestError(f"{where}: not a dict literal ({exc.__class__.__name__}: "
                            f"{getattr(exc, 'msg', exc)})") from None
    if not isinstance(values, dict):
        raise ManifestError(f"{file}: a manifest is a dict literal, not {type(values).__name__}")
    return _check(file, name, path, values)


def _check(file: Path, name: str, path: Path, values: dict) -> Manifest:
    def bad(key: str, expected: str) -> ManifestError:
        return ManifestError(f"{file}: key {key!r} must be {expected}, "
                             f"not {values[key]!r}")

    if not isinstance(values.get("name"), str) or not values["name"].strip():
        raise ManifestError(f"{file}: key 'name' is required and must be a non-empty string")
    kwargs: dict[str, Any] = {"title": values["name"]}
    extra = {}
    for key, value in values.items():
        if key == "name":
            continue
        if key in _STR_KEYS:
            if not isinstance(value, str):
                raise bad(key, "a string")
            if key == "version" and not _VERSION.match(value):
                raise bad(key, "a dotted version number such as '1.0' or '17.0.1.2'")
        elif key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad(key, "a list of strings")
            if key in ("data", "demo"):
                for item in value:
                    if not (path / item).is_file():
                        raise ManifestError(f"{file}: key {key!r} lists {item!r}, "
                                            "which is not a file of the addon")
                    if not item.endswith((".xml", ".csv")):
                        raise ManifestError(f"{file}: key {key!r} lists {item!r}; data "
                                            "files are .xml or .csv")
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise bad(key, "True or False")
        elif key == "auto_install":
            if not (isinstance(value, bool) or (isinstance(value, list) and all(
                    isinstance(v, str) for v in value))):
                raise bad(key, "True, False or a list of module names")
        elif key == "sequence":
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad(key, "an integer")
        elif key == "external_dependencies":
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and isinstance(v, list) for k, v in value.items()):
                raise bad(key, "a dict such as {'python': ['package']}")
        else:
            extra[key] = value
            continue
        kwargs[key] = value
    if name in kwargs.get("depends", []):
        raise ManifestError(f"{file}: key 'depends': an addon cannot depend on itself")
    if name != "base" and not kwargs.get("depends"):
        kwargs["depends"] = ["base"]   # every addon builds on base
    if isinstance(kwargs.get("auto_install"), list):
        outside = set(kwargs["auto_install"]) - set(kwargs.get("depends", []))
        if outside:
            raise ManifestError(f"{file}: key 'auto_install' names {sorted(outside)}, "
                                "which are not in 'depends'")
    return Manifest(name=name, path=path, extra=extra, **kwargs)
