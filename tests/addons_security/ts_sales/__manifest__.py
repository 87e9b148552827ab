{
    "name": "Test Sales",
    "version": "1.0",
    "summary": "Orders with groups, access rights and record rules, for the security tests",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/ts_sales_groups.xml",
        "security/ir.model.access.csv",
        "security/ts_sales_security.xml",
    ],
}
