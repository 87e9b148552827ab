{
    "name": "Test Views Extension",
    "version": "1.0",
    "summary": "Extensions of tv_base's views, for the view tests",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["tv_base"],
    "data": ["views/tv_order_views.xml"],
}
