"""Field types for model declarations: ``from core import fields``."""

from core.orm.commands import Command
from core.orm.fields import (
    Binary,
    Boolean,
    Char,
    Date,
    Datetime,
    Field,
    Float,
    Html,
    Integer,
    Json,
    Monetary,
    Selection,
    Text,
)
from core.orm.fields_relational import Many2many, Many2one, One2many

__all__ = ["Binary", "Boolean", "Char", "Command", "Date", "Datetime", "Field", "Float",
           "Html", "Integer", "Json", "Many2many", "Many2one", "Monetary", "One2many",
           "Selection", "Text"]
