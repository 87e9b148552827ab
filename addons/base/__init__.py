"""The base addon: what every Troika database has."""

from . import models
