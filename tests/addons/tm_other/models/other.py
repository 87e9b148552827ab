from core import fields, models


class Other(models.Model):
    _name = "tm.other"
    _description = "Other"

    name = fields.Char()
