"""The base addon: what every Troika database has."""

from . import models
from .data_loaders import post_init_hook  # noqa: F401
