{
    "name": "Broken workflow: twb_state_not_in_selection",
    "version": "1.0",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["twb_model"],
    "data": ["data/flow.xml"],
}
