"""The model classes of the ``base`` addon, for tests that build a registry of them.

    from tests.addons_base.base_models import BASE_MODELS
    MODELS = BASE_MODELS

Until ``addons/base/models/__init__.py`` imports every model file, the
files it does not import are loaded here and then taken out of
``sys.modules``: the module system collects the model classes of every
imported ``addons.base.*`` module, and a test of another part of the
suite must not get half of base because this file ran first.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import addons.base  # noqa: F401 - what the package imports itself stays imported

FILES = sorted(path.stem for path in (Path(addons.base.__file__).parent / "models").glob("*.py")
               if path.stem != "__init__")

_before = set(sys.modules)
_modules = [importlib.import_module(f"addons.base.models.{name}") for name in FILES]
for _name in set(sys.modules) - _before:
    if _name.startswith("addons.base."):
        del sys.modules[_name]


def _classes(module) -> list[type]:
    from core.orm.models import BaseModel

    return [value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, BaseModel)
            and value.__module__ == module.__name__ and "_name" in vars(value)]


BASE_MODELS: list[type] = [cls for module in _modules for cls in _classes(module)]
