from . import utm_campaign, utm_medium, utm_mixin, utm_source, utm_stage, utm_tag
