"""Access that follows the document: messages, followers and activities are
visible to a user exactly when the record they belong to is.

    class MailFollowers(DocumentAccessMixin, models.Model):
        _name = "mail.followers"
        _document_model_field = "res_model"     # the columns naming the document
        _document_id_field = "res_id"

Odoo checks these models in Python after each search; Troika makes the
check SQL, in the same places the kernel adds record rules: every
``search`` (``_where``), every fetch of columns (``_fetch_columns``) and
``read``. The condition is an OR over the models that can hold such rows
(the registry's thread or activity models): ``model = 'crm.lead' AND
res_id IN (SELECT id FROM crm_lead WHERE <the user's rules on crm.lead>)``,
for the models whose read right the user has. Writing, creating and
deleting check the document's ``write`` access (``_mail_post_access`` for
messages), as Odoo does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.exceptions import AccessError
from core.i18n.translate import _
from core.security import access

if TYPE_CHECKING:
    from core.orm.models import BaseModel


def document_models(env: Any, marker: str) -> list[str]:
    """The stored models of the registry that have ``marker`` (a class attribute
    such as ``_mail_thread``) set: the models rows may belong to."""
    registry = env.registry
    cache = getattr(registry, "mail_document_models", None)
    if cache is None:
        cache = registry.mail_document_models = {}
    if marker not in cache:
        cache[marker] = sorted(name for name, cls in registry.models.items()
                               if not cls._abstract and getattr(cls, marker, False))
    return cache[marker]


def readable_ids_select(env: Any, model_name: str, operation: str = "read") -> Any:
    """A SELECT of the ids of ``model_name`` the user may access for
    ``operation``, or None when the right itself is missing."""
    target = env[model_name].with_context(active_test=False)
    if not access.check_rights(target, operation, raise_exception=False):
        return None
    table = target._table_obj
    rule = access.rule_condition(target, operation)
    stmt = sa.select(table.c.id)
    return stmt if rule is None else stmt.where(rule)


class DocumentAccessMixin:
    """Shared by mail.message, mail.followers and mail.activity (plain Python:
    the registry composes it with the model's declaration)."""

    __slots__ = ()
    _document_model_field = "res_model"
    _document_id_field = "res_id"
    #: the class attribute telling which models rows may belong to
    _document_marker = "_mail_thread"

    # -- the SQL condition ------------------------------------------------
    def _document_condition(self, table: Any, operation: str = "read") -> Any:
        """Rows whose document the user may access for ``operation``."""
        env = self.env
        subselects = {}
        for name in document_models(env, self._document_marker):
            select = readable_ids_select(env, name, operation)
            if select is not None:
                subselects[name] = select
        model_col = table.c[self._document_model_field]
        id_col = table.c[self._document_id_field]
        parts = [sa.and_(model_col == name, id_col.in_(select))
                 for name, select in subselects.items()]
        extra = self._document_extra_condition(table)
        if extra is not None:
            parts.append(extra)
        return sa.or_(*parts) if parts else sa.false()

    def _document_extra_condition(self, table: Any) -> Any:
        """Rows visible whatever the document (messages: one's own, one's inbox)."""
        return None

    # -- reading ------------------------------------------------------------
    def _where(self, domain: Any, table: Any = None) -> Any:
        condition = super()._where(domain, table)
        if access.enabled(self.env):
            table = self._table_obj if table is None else table
            condition = sa.and_(condition, self._document_condition(table))
        return condition

    def _allowed_ids(self, ids: Iterable, operation: str = "read") -> set:
        ids = [i for i in ids if isinstance(i, int)]
        if not ids:
            return set()
        table = self._table_obj
        allowed: set = set()
        condition = self._document_condition(table, operation)
        for start in range(0, len(ids), 10_000):
            chunk = ids[start:start + 10_000]
            allowed.update(self.env.transaction.execute(
                sa.select(table.c.id).where(table.c.id.in_(chunk), condition)).scalars())
        return allowed

    def _fetch_columns(self, ids, field_list):
        if access.enabled(self.env):
            allowed = self._allowed_ids(ids)
            ids = [i for i in ids if i in allowed]
        return super()._fetch_columns(ids, field_list)

    def read(self, fields=None, load="_classic_read"):
        if access.enabled(self.env):
            self._check_document_access("read")
        return super().read(fields, load)

    # -- checks -------------------------------------------------------------
    def _check_document_access(self, operation: str) -> None:
        """AccessError unless the user may ``operation`` every record's document."""
        if not access.enabled(self.env) or not self:
            return
        allowed = self._allowed_ids(self._ids, operation)
        refused = self.browse([i for i in self.ids if i not in allowed]).sudo().exists()
        if refused:
            raise AccessError(_(
                self.env, "You may not %(operation)s the documents of these %(model)s "
                "records (%(ids)s): access follows the document they belong to.",
                operation=operation, model=self._description,
                ids=", ".join(str(i) for i in refused.ids[:5])))

    def _check_documents_of_values(self, vals_list: list[dict], operation: str) -> None:
        """Before create: the user must be allowed ``operation`` (or the model's
        own access, see ``_document_operation``) on every document named."""
        if not access.enabled(self.env):
            return
        wanted: dict[str, set] = defaultdict(set)
        for vals in vals_list:
            model = vals.get(self._document_model_field)
            res_id = vals.get(self._document_id_field)
            if model and res_id:
                wanted[model].add(res_id)
            elif not self._document_allows_none(vals):
                raise AccessError(_(self.env, "Only administrators may create %(model)s "
                                    "records that belong to no document.",
                                    model=self._description))
        for model, ids in wanted.items():
            if model not in self.env:
                raise AccessError(_(self.env, "Unknown document model %(model)s.",
                                    model=model))
            documents = self.env[model].browse(sorted(ids))
            operation_for = self._document_operation(documents, operation)
            documents.check_access_rights(operation_for)
            access.check_rules(documents.with_context(active_test=False), operation_for)

    def _document_allows_none(self, vals: dict) -> bool:
        return False

    def _document_operation(self, documents: BaseModel, operation: str) -> str:
        return operation


#: the computed fields of a document that rows of each model change
THREAD_FIELDS = {
    "mail.message": ("message_ids", "has_message", "message_needaction",
                     "message_needaction_counter", "message_attachment_count",
                     "message_unread_counter"),
    "mail.followers": ("message_follower_ids", "message_partner_ids", "message_is_follower"),
    "mail.activity": ("activity_ids", "activity_state", "activity_user_id", "activity_type_id",
                      "activity_date_deadline", "activity_summary",
                      "my_activity_date_deadline"),
}


def invalidate_documents(env: Any, kind: str, pairs: Iterable[tuple]) -> None:
    """Forget the cached thread fields of these (model, res_id) documents (they
    are computed, not stored: the cache is all there is to drop)."""
    names = THREAD_FIELDS[kind]
    cache = env.transaction.cache
    for model, res_id in pairs:
        cls = env.registry.models.get(model) if model else None
        if cls is None:
            continue
        for name in names:
            field = cls._fields.get(name)
            if field is not None and field in cache:
                cache[field].pop(res_id, None)
