{
    "name": "Test Views",
    "version": "1.0",
    "summary": "Orders with a view of every type, for the view tests",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/tv_base_groups.xml",
        "security/ir.model.access.csv",
        "views/tv_order_views.xml",
        "views/tv_wide_views.xml",
    ],
}
