{
    "name": "Helpdesk After-Sales",
    "version": "1.0",
    "summary": "Tickets and complaints linked to sales orders and products",
    "description": "The bridge between Helpdesk and Sales, installed with both: a ticket "
                   "names the order and the product it is about; orders show their tickets "
                   "and complaints; complaints are analysed per product and customer.",
    "category": "Sales/Helpdesk",
    "license": "LGPL-3",
    "depends": ["crm_helpdesk", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "views/helpdesk_ticket_views.xml",
        "views/sale_order_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
