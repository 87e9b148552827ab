"""Addon discovery and the dependency graph.

    addons = discover([Path("addons"), Path("/srv/company_addons")])
    order = install_order(["crm"], addons)       # ['base', 'mail', ..., 'crm']

Addons are folders holding a ``__manifest__.py``; when two paths hold an
addon of the same name, the first path wins. Orders are topological and
stable (ties broken by name); a missing dependency or a cycle raises
``DependencyError`` with the chain that leads to it (``crm -> sale -> crm``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from core.exceptions import UserError
from core.modules.manifest import MANIFEST, Manifest, read_manifest

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_ADDONS = ROOT / "addons"


class DependencyError(UserError):
    """A dependency that is missing, not installable, or part of a cycle."""


def addons_paths(extra: str | Sequence[str | Path] | None = None) -> list[Path]:
    """The folders to look for addons in: Troika's own, then the extra ones
    (argument, then ``TROIKA_ADDONS_PATH``; strings split on os.pathsep or ',')."""
    paths = [DEFAULT_ADDONS]
    sources: list = []
    if extra:
        sources.append(extra)
    if os.environ.get("TROIKA_ADDONS_PATH"):
        sources.append(os.environ["TROIKA_ADDONS_PATH"])
    for source in sources:
        items = source.replace(",", os.pathsep).split(os.pathsep) if isinstance(source, str) \
            else list(source)
        for item in items:
            if not str(item).strip():
                continue
            path = Path(item).expanduser().resolve()
            if not path.is_dir():
                raise UserError(f"Addons path {str(item)!r} is not a folder")
            if path not in paths:
                paths.append(path)
    return paths


def discover(paths: Iterable[Path]) -> dict[str, Manifest]:
    """Every addon in ``paths`` by name; bad manifests raise ManifestError."""
    found: dict[str, Manifest] = {}
    for path in paths:
        if not path.is_dir():
            continue
        for child in sorted(path.iterdir()):
            if child.name in found or not (child / MANIFEST).is_file():
                continue
            found[child.name] = read_manifest(child)
    return found


def closure(names: Iterable[str], addons: dict[str, Manifest]) -> set[str]:
    """``names`` and everything they depend on, checked for gaps and cycles."""
    result: set[str] = set()

    def visit(name: str, chain: list[str]) -> None:
        if name in chain:
            cycle = chain[chain.index(name):] + [name]
            raise DependencyError(f"Circular dependency: {' -> '.join(cycle)}")
        if name in result:
            return
        manifest = addons.get(name)
        if manifest is None:
            if chain:
                raise DependencyError(f"Addon {chain[-1]!r} depends on {name!r}, which is not "
                                      f"in the addons path ({' -> '.join(chain + [name])})")
            raise DependencyError(f"Unknown addon {name!r}")
        if not manifest.installable:
            raise DependencyError(f"Addon {name!r} is not installable"
                                  + (f" (needed by {' -> '.join(chain + [name])})"
                                     if chain else ""))
        for dep in manifest.depends:
            visit(dep, chain + [name])
        result.add(name)

    for name in names:
        visit(name, [])
    return result


def with_auto_install(names: set[str], addons: dict[str, Manifest]) -> set[str]:
    """Add the bridges whose triggering dependencies are all in ``names``."""
    result = set(names)
    changed = True
    while changed:
        changed = False
        for name, manifest in sorted(addons.items()):
            trigger = manifest.auto_install_depends
            if name in result or trigger is None or not manifest.installable:
                continue
            if trigger <= result:
                try:
                    result |= closure([name], addons)
                except DependencyError:
                    continue
                changed = True
    return result


def install_order(names: Iterable[str], addons: dict[str, Manifest]) -> list[str]:
    """The modules of ``names`` (with their dependencies) in installation order."""
    wanted = closure(names, addons)
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        done.add(name)
        for dep in sorted(addons[name].depends):
            visit(dep)
        order.append(name)

    for name in sorted(wanted, key=lambda n: (addons[n].sequence, n)):
        visit(name)
    return order


def dependents(name: str, installed: Iterable[str], addons: dict[str, Manifest]) -> list[str]:
    """The installed modules that depend on ``name``, directly or not."""
    installed = set(installed)
    result: list[str] = []
    for other in sorted(installed - {name}):
        if other in addons and name in closure([other], addons):
            result.append(other)
    return result
