from . import helpdesk_ticket, sale_order
