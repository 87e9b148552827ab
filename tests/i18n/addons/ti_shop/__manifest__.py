{
    "name": "Shop",
    "version": "1.0",
    "summary": "Products for the translation tests",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/ir.model.access.csv",
        "views/ti_product_views.xml",
        "data/ti_product_data.xml",
        "data/ti_product_workflow.xml",
    ],
}
