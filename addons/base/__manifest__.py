{
    "name": "Base",
    "version": "1.0",
    "summary": "Partners, companies, users, currencies, countries and the meta models",
    "category": "Hidden",
    "license": "LGPL-3",
    "depends": [],
    "data": [],
    "installable": True,
    "sequence": 0,
}
