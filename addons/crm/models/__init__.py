from . import (  # noqa: I001 - crm_lead before the files extending it
    res_country_group,
    crm_stage,
    crm_tag,
    crm_lost_reason,
    crm_team,
    crm_lead,
    crm_lead_convert,
    crm_lead_stage_history,
    crm_partner_document,
    res_partner,
    crm_pipeline_report,
)
