{
    "name": "Email Marketing",
    "version": "1.0",
    "summary": "Mailing lists and segments, e-mail campaigns with A/B tests and tracking, "
               "nurturing sequences, campaign ROI and web forms that capture leads",
    "description": "Contacts from mailing lists or from a saved search on customers and "
                   "leads, with opt-out and the blacklist honoured on every send and double "
                   "opt-in for sign-ups; campaigns sent through the mail queue in batches "
                   "under a rate limit, with an A/B test of subjects on a sample and the "
                   "winner sent to the rest; opens, clicks, replies, bounces and "
                   "unsubscriptions per recipient; multi-step nurturing sequences run by the "
                   "scheduler that hand engaged contacts to salespeople; the cost, leads, "
                   "won revenue and ROI of each campaign; public forms that create leads "
                   "with their campaign, medium and source.",
    "category": "Marketing/Email Marketing",
    "license": "LGPL-3",
    "depends": ["crm", "mail", "utm"],
    "data": [
        "security/crm_marketing_security.xml",
        "security/ir.model.access.csv",
        "views/crm_marketing_menus.xml",
        "data/mailing_data.xml",
        "data/crm_marketing_lead_form_data.xml",
        "views/utm_campaign_views.xml",
        "views/mailing_mailing_views.xml",
        "views/mailing_list_views.xml",
        "views/mailing_trace_views.xml",
        "data/marketing_cron.xml",
        "views/marketing_campaign_views.xml",
    ],
    "demo": [
        "demo/utm_campaign_demo.xml",
    ],
    "application": True,
    "installable": True,
    "sequence": 30,
}
