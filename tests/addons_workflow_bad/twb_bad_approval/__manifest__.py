{
    "name": "Broken workflow: twb_bad_approval",
    "version": "1.0",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["twb_model"],
    "data": ["data/flow.xml"],
}
