from . import uom_category, uom_uom
