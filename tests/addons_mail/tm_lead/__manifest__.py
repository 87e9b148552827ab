{
    "name": "Mail test: leads with a chatter",
    "version": "1.0",
    "summary": "A tracked mail.thread model with activities, a workflow, a template and "
               "record rules, for the mail addon's tests",
    "category": "Tests",
    "license": "LGPL-3",
    "depends": ["mail"],
    "data": [
        "security/tm_lead_security.xml",
        "security/ir.model.access.csv",
        "data/tm_lead_data.xml",
        "data/tm_lead_workflow.xml",
        "views/tm_lead_views.xml",
    ],
}
