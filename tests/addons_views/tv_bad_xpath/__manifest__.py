{
    "name": "Test Views: an extension whose xpath matches nothing",
    "version": "1.0",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["tv_base"],
    "data": ["views/bad_views.xml"],
}
