from . import ti_product
