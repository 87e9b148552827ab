{
    "name": "Sales",
    "version": "1.0",
    "summary": "Quotations and sales orders for export trade: price lists, taxes, "
               "Incoterms, revisions, approvals, PDF and a customer link",
    "description": "Quotations in the customer's currency and language with tiered price "
                   "lists, taxes and fiscal positions, payment terms, Incoterms 2020 with "
                   "the named place and ports, several salespeople with shares; a workflow "
                   "from quotation to negotiation and order with the manager's approval of "
                   "large discounts; revisions that keep the history; a quotation / "
                   "proforma invoice PDF sent by e-mail, and a link where the customer "
                   "views and accepts the quotation; sales analysis in the company "
                   "currency.",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "depends": ["product", "account_base", "sales_team", "mail"],
    "external_dependencies": {"python": ["fpdf"]},
    "data": [
        "security/sale_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/sale_order_workflow.xml",
        "data/mail_template_data.xml",
        "views/sale_order_views.xml",
        "views/sale_order_line_views.xml",
        "views/sale_settings_views.xml",
        "views/sale_menus.xml",
    ],
    "demo": [
        "demo/sale_demo.xml",
    ],
    "application": True,
    "installable": True,
    "sequence": 24,
}
