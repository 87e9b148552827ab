from . import order, records
