{
    "name": "Discuss",
    "version": "1.0",
    "summary": "Chatter, followers, activities, e-mail templates, the outgoing mail "
               "queue, incoming mail and discussion channels",
    "description": "The conversation and the to-dos of every business document: "
                   "mail.thread and mail.activity.mixin for addons, SMTP sending through "
                   "the job runner, incoming mail by alias or reply, channels.",
    "category": "Productivity",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/mail_security.xml",
        "security/ir.model.access.csv",
        "data/mail_message_subtype_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/discuss_channel_data.xml",
        "views/mail_message_views.xml",
        "views/mail_activity_views.xml",
        "views/mail_template_views.xml",
        "views/mail_mail_views.xml",
        "views/ir_mail_server_views.xml",
        "views/mail_alias_views.xml",
        "views/discuss_channel_views.xml",
        "views/mail_menus.xml",
    ],
    "application": True,
    "installable": True,
    "sequence": 5,
}
