{
    "name": "Web client test: a small shop",
    "version": "1.0",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/tweb_groups.xml",
        "security/ir.model.access.csv",
        "data/tweb_workflow.xml",
        "views/tweb_views.xml",
        "views/tweb_menus.xml",
    ],
}
