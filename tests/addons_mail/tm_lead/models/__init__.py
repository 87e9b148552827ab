from . import tm_lead
