{
    "name": "Sales Teams",
    "version": "1.0",
    "summary": "Sales teams, their leaders and members, and the sales user groups",
    "description": "The sales teams shared by CRM and Sales: a leader, members, a company; "
                   "and the groups Sales / User: Own Documents Only, User: All Documents, "
                   "Administrator.",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/sales_team_security.xml",
        "security/ir.model.access.csv",
        "data/crm_team_data.xml",
        "views/crm_team_views.xml",
    ],
    "installable": True,
    "sequence": 23,
}
