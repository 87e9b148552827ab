{
    "name": "Web client test: tasks on a board, a calendar and in charts",
    "version": "1.0",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/twv_groups.xml",
        "security/ir.model.access.csv",
        "data/twv_stages.xml",
        "data/twv_workflow.xml",
        "views/twv_views.xml",
        "views/twv_menus.xml",
    ],
}
