from . import crm_team, res_users
