"""Troika's ORM on SQLAlchemy Core.

Modules, in the order a reader meets them: ``fields`` and
``fields_relational`` (typed attributes), ``models`` (record sets, with
the mixins ``search``, ``reading`` and ``forms``), ``domain`` (filters
to SQL), ``environment`` (cache, prefetch, flush),
``registry`` (composition of addon classes), ``schema`` (tables),
``database`` (engine and transactions), ``read_group`` (aggregates),
``commands`` (x2many writes) and ``sql`` (what differs per backend).
"""
