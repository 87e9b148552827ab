{
    "name": "Taxes, Payment Terms & Incoterms",
    "version": "1.0",
    "summary": "The accounting basics sales documents need: taxes, fiscal positions, "
               "payment terms, Incoterms 2020, bank accounts",
    "description": "Taxes (percent, fixed, division, groups; included in the price or not; "
                   "rounded per line or globally), fiscal positions by country (zero-rated "
                   "export), payment terms with deposits and balances against shipment, the "
                   "eleven Incoterms 2020, banks and bank accounts. The accounting addon "
                   "builds on these models.",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "depends": ["base", "product"],
    "data": [
        "security/account_base_security.xml",
        "security/ir.model.access.csv",
        "data/account_incoterms_data.xml",
        "data/account_tax_group_data.xml",
        "data/account_payment_term_data.xml",
        "views/account_tax_views.xml",
        "views/account_fiscal_position_views.xml",
        "views/account_payment_term_views.xml",
        "views/account_incoterms_views.xml",
        "views/res_bank_views.xml",
    ],
    "demo": [
        "demo/account_base_demo.xml",
    ],
    "installable": True,
    "sequence": 22,
}
