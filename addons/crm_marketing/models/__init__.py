"""The models of e-mail marketing, one file per concept."""

from . import (
    crm_lead,
    crm_lead_form_submission,
    link_tracker,
    mail_mail,
    mail_thread,
    mailing_contact,
    mailing_list,
    mailing_mailing,
    mailing_mailing_ab,
    mailing_mailing_send,
    mailing_mailing_sequence,
    mailing_subscription,
    mailing_trace,
    mailing_trace_nurture,
    marketing_activity,
    marketing_campaign,
    marketing_participant,
    marketing_trace,
    res_partner,
    utm_campaign,
)
