{
    "name": "Helpdesk",
    "version": "1.0",
    "summary": "Customer service: tickets from e-mail, SLAs in working hours, a knowledge "
               "base, satisfaction surveys",
    "description": "Tickets by team with stages moved by a workflow, priorities, types and "
                   "tags; automatic assignment (round-robin or least loaded); SLA policies "
                   "for the first response and the resolution per priority and customer "
                   "tier, counted in the team's working hours, on track / at risk / failed, "
                   "with escalation to the team leader; e-mail to ticket through the team's "
                   "alias, replies threaded; canned answers from the knowledge base, whose "
                   "articles keep every version and are searched in Chinese and English, "
                   "with public pages; a satisfaction survey when a ticket is solved; "
                   "complaints per customer; reports.",
    "category": "Sales/Helpdesk",
    "license": "LGPL-3",
    "depends": ["mail", "resource", "rating"],
    "data": [
        "security/helpdesk_security.xml",
        "security/ir.model.access.csv",
        "data/helpdesk_data.xml",
        "data/helpdesk_ticket_workflow.xml",
        "data/mail_template_data.xml",
        "data/helpdesk_automation.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_team_views.xml",
        "views/helpdesk_config_views.xml",
        "views/knowledge_views.xml",
        "views/helpdesk_rating_views.xml",
        "views/helpdesk_menus.xml",
    ],
    "demo": [
        "demo/helpdesk_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "application": True,
    "installable": True,
    "sequence": 26,
}
