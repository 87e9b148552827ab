"""Translating texts of code and of models in the language of an environment.

    from core.i18n import _, _lt

    raise UserError(_(self.env, "Invoice %s is already paid.", invoice.name))
    raise UserError(_(self.env, "%(count)s lines to check", count=3))

    NOT_ALLOWED = _lt("Not allowed")        # marked for extraction, translated later
    _(env, NOT_ALLOWED)                       # in the environment's language

The language is ``env.lang`` (the context's ``lang``, English by default);
the catalogs are those of the modules installed in ``env``'s registry,
merged in dependency order (later modules override) over the kernel's web
catalog. There is no frame inspection: the environment is passed, so a
text is always translated for the person the environment works for.

``_lt`` returns a ``LazyText``: a ``str`` holding the English source (it
prints, compares and formats as the source) that extraction finds and
``_(env, lazy)`` translates.

Model metadata is looked up in the catalog of the module that declared
it first, then in the merged catalog; a ``msgctxt`` lets a translator
tell two meanings of one English word apart (see docs/i18n.md):

- model description: context ``<model>`` (``res.partner``);
- field label, help, selection labels: context ``<model>,<field>``
  (``res.partner,state_id``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from core.i18n.catalogs import SOURCE_LANG, Catalog, load_module_catalog, merged_catalog

if TYPE_CHECKING:
    from core.orm.environment import Environment
    from core.orm.fields import Field
    from core.orm.models import BaseModel

_logger = logging.getLogger("troika.i18n")


class LazyText(str):
    """A source text marked for translation (``_lt``); it is the English text."""

    __slots__ = ()


def _lt(text: str) -> LazyText:
    """Mark ``text`` for extraction; translate it later with ``_(env, text)``."""
    return LazyText(text)


def installed_modules(env: Environment) -> list[str]:
    """The modules of the environment's registry, in dependency order."""
    registry = env.registry
    modules = getattr(registry, "installed_modules", None)
    if modules:
        return list(modules)
    return list(dict.fromkeys(m for names in registry.modules_of.values() for m in names if m))


class Translator:
    """Looks texts up for one language and one set of installed modules."""

    def __init__(self, lang: str, modules: Sequence[str]):
        self.lang = lang
        self.modules = tuple(modules)
        self.merged = merged_catalog(lang, self.modules)
        self._own: dict[str, Catalog] = {}

    @classmethod
    def of(cls, env: Environment) -> Translator | None:
        """The translator of the environment's language; None for English."""
        lang = env.lang
        if lang == SOURCE_LANG:
            return None
        return cls(lang, installed_modules(env))

    def module_catalog(self, module: str | None) -> Catalog | None:
        if not module or module not in self.modules:
            return None
        if module not in self._own:
            self._own[module] = load_module_catalog(self.lang, module)
        return self._own[module]

    def get(self, text: str, contexts: Iterable[str] = (), module: str | None = None) -> str:
        """The translation of ``text``: a context before none, the module's own
        catalog before the merged one; the text itself when nothing matches."""
        if not text:
            return text
        contexts = tuple(contexts)
        own = self.module_catalog(module)
        catalogs = (own, self.merged) if own is not None else (self.merged,)
        for context in (*contexts, None):
            for catalog in catalogs:
                found = catalog.messages.get((context, text))
                if found:
                    return found
        return str(text)


def translate(text: str, lang: str, modules: Sequence[str] = (),
              contexts: Iterable[str] = (), module: str | None = None) -> str:
    """``text`` in ``lang`` from the catalogs of ``modules`` (no environment)."""
    if lang == SOURCE_LANG or not text:
        return str(text)
    return Translator(lang, modules).get(text, contexts, module)


def _(env: Environment | BaseModel, source: str, *args: Any, **kwargs: Any) -> str:
    """``source`` in the language of ``env`` (an environment or a record set),
    then formatted with ``%``: positional ``args`` or named ``kwargs``.

    A translation whose placeholders do not fit the arguments is logged and
    the source text is used instead: a translator's slip never hides the error
    a user is being shown."""
    env = getattr(env, "env", env)
    translator = Translator.of(env)
    text = translator.get(source) if translator is not None else str(source)
    return _format(text, str(source), args, kwargs)


def _format(text: str, source: str, args: tuple, kwargs: dict) -> str:
    if not args and not kwargs:
        return text
    values: Any = kwargs if kwargs else (args[0] if len(args) == 1 and isinstance(
        args[0], dict) else args)
    try:
        return text % values
    except (TypeError, ValueError, KeyError) as exc:
        if text == source:
            raise
        _logger.warning("Translation %r of %r does not fit its arguments (%s)", text, source,
                        exc)
        return source % values


# ---------------------------------------------------------------------------
# model metadata
# ---------------------------------------------------------------------------
def model_description(env: Environment, model: BaseModel | str) -> str:
    """The ``_description`` of a model in the environment's language."""
    model = env[model] if isinstance(model, str) else model
    text = model._description or model._name
    translator = Translator.of(env)
    if translator is None:
        return text
    return translator.get(text, (model._name,), getattr(model, "_module", None))


def field_context(field: Field) -> str:
    """The msgctxt that singles out one field: ``res.partner,state_id``."""
    return f"{field.model_name},{field.name}"


def field_string(env: Environment, field: Field) -> str:
    """A field's label in the environment's language."""
    translator = Translator.of(env)
    if translator is None:
        return field.string
    return translator.get(field.string, (field_context(field),), field.module)


def translate_fields_get(model: BaseModel, result: dict) -> None:
    """Translate the labels, help texts and selection labels of a
    ``fields_get`` result in place (nothing to do in English)."""
    translator = Translator.of(model.env)
    if translator is None:
        return
    for name, desc in result.items():
        field = model._fields.get(name)
        if field is None:
            continue
        contexts = (field_context(field),)
        module = field.module
        if desc.get("string"):
            desc["string"] = translator.get(desc["string"], contexts, module)
        if desc.get("help"):
            desc["help"] = translator.get(desc["help"], contexts, module)
        if desc.get("selection"):
            desc["selection"] = [[key, translator.get(label, contexts, module)
                                  if isinstance(label, str) else label]
                                 for key, label in desc["selection"]]


def selection_label(env: Environment, field: Field, value: Any) -> Any:
    """The label of a selection value in the environment's language."""
    for key, label in field.get_values(env):
        if key == value:
            translator = Translator.of(env)
            if translator is None or not isinstance(label, str):
                return label
            return translator.get(label, (field_context(field),), field.module)
    return value
