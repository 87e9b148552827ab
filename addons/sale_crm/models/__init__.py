from . import crm_lead, res_partner, sale_order  # noqa: I001
