{
    "name": "UTM Trackers",
    "version": "1.0",
    "summary": "Campaigns, mediums and sources: where leads and customers come from",
    "description": "The marketing trackers of Odoo's utm addon: campaigns (with stages, tags "
                   "and a responsible), mediums (e-mail, website, trade show...) and sources "
                   "(a fair, a search engine, a referral), and the utm.mixin that gives a "
                   "document its campaign, medium and source. CRM and marketing use them to "
                   "tell which channel brings business.",
    "category": "Marketing",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/ir.model.access.csv",
        "data/utm_data.xml",
        "views/utm_views.xml",
    ],
    "installable": True,
    "sequence": 40,
}
