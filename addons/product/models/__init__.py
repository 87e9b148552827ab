from . import (
    product_attribute,
    product_category,
    product_hs_code,
    product_pricelist,
    product_pricelist_item,
    product_product,
    product_template,
    product_template_attribute_line,
    res_country_group,
    res_partner,
)
