from . import helpdesk_ticket_reply
