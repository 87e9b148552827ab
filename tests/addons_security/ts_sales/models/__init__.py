from . import order  # noqa: F401
