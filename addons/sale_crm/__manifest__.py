{
    "name": "Opportunity to Quotation",
    "version": "1.0",
    "summary": "Quotations from opportunities, their totals on the deal, won when confirmed",
    "description": "The bridge between CRM and Sales: a quotation made from an opportunity "
                   "(the customer created if needed), the deal's expected revenue following "
                   "its quotations and then its confirmed orders, the deal won when an order "
                   "is confirmed, and the quotations and orders as smart buttons on the deal "
                   "and on the customer.",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "depends": ["crm", "sale"],
    "data": [
        "views/crm_lead_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
    ],
    "demo": [
        "demo/sale_crm_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
