from . import base_partner_merge, crm_lead_lost, crm_lead_to_opportunity, crm_merge_opportunity
