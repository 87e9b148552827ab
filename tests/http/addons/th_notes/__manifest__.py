{
    "name": "Test Notes",
    "version": "1.0",
    "summary": "Short notes, for the Apps page's tests",
    "category": "Productivity",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/ir.model.access.csv",
        "data/th_note_data.xml",
    ],
    "application": True,
}
