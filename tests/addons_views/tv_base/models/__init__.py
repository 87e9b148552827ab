from . import tv_order, tv_wide  # noqa: F401
