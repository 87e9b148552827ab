{
    "name": "Test Notes Board",
    "version": "1.0",
    "summary": "Pins notes on a board; depends on Test Notes",
    "category": "Productivity",
    "license": "LGPL-3",
    "depends": ["th_notes"],
    "data": ["security/ir.model.access.csv"],
}
