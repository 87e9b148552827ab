{
    "name": "CRM",
    "version": "1.0",
    "summary": "Customers in one place, a pipeline every salesperson follows, forecasts "
               "the owner can trust",
    "description": "The customer 360 (contacts, addresses for billing, shipping and the "
                   "factory, market, tier, source, salespeople, documents and contracts with "
                   "expiry reminders, revenue and last contact, duplicate detection and "
                   "merging); leads and opportunities in configurable stages per sales team "
                   "with probabilities, amounts in any currency, lost reasons, rule-based "
                   "assignment by market and round-robin, rotting deals and follow-ups; "
                   "forecasts, win rates, sales cycles and pipeline movement per salesperson, "
                   "team, market and product line, and the owner's dashboard.",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "depends": ["base", "mail", "sales_team", "utm", "product"],
    "data": [
        "security/crm_security.xml",
        "security/ir.model.access.csv",
        "data/res_country_group_data.xml",
        "data/crm_stage_data.xml",
        "data/crm_lost_reason_data.xml",
        "data/mail_message_subtype_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_stage_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_report_views.xml",
        "views/crm_team_views.xml",
        "views/res_partner_views.xml",
        "views/crm_partner_document_views.xml",
        "views/crm_wizard_views.xml",
        "views/crm_menus.xml",
    ],
    "demo": [
        "demo/crm_demo_users.xml",
        "demo/crm_demo_customers.xml",
        "demo/crm_demo_pipeline.xml",
    ],
    "application": True,
    "installable": True,
    "sequence": 10,
}
