{
    "name": "Units of Measure",
    "version": "1.0",
    "summary": "Units of measure in categories, with conversions and rounding",
    "description": "Units (pcs, dozens, boxes, cartons), weights, lengths, surfaces and "
                   "volumes; quantities and prices converted between the units of a "
                   "category.",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/uom_security.xml",
        "security/ir.model.access.csv",
        "data/uom_data.xml",
        "views/uom_views.xml",
    ],
    "installable": True,
    "sequence": 20,
}
