"""Model base classes for declarations: ``from core import models``."""

from core.orm.models import AbstractModel, BaseModel, Model, TransientModel

__all__ = ["AbstractModel", "BaseModel", "Model", "TransientModel"]
