{
    "name": "Products & Pricelists",
    "version": "1.0",
    "summary": "Products with variants, HS codes and export data; price lists per currency",
    "description": "Product templates and variants (colour, wattage...), categories, units "
                   "of measure, HS codes with their export tax rebate rates, country of "
                   "origin, weights and volumes; price lists in their own currency with "
                   "fixed, discounted and formula prices, quantity tiers and date ranges.",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "depends": ["base", "uom"],
    "data": [
        "security/product_security.xml",
        "security/ir.model.access.csv",
        "data/product_data.xml",
        "views/product_category_views.xml",
        "views/product_attribute_views.xml",
        "views/product_template_views.xml",
        "views/product_product_views.xml",
        "views/product_pricelist_views.xml",
        "views/product_hs_code_views.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
    ],
    "installable": True,
    "sequence": 21,
}
