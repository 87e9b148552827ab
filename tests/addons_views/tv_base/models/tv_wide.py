from core import fields, models

KINDS = (fields.Char, fields.Integer, fields.Float, fields.Boolean, fields.Date)


class TvWide(models.Model):
    """A model of 50 fields, for measuring get_view on a large form."""

    _name = "tv.wide"
    _description = "Test Wide Record"

    name = fields.Char(required=True)
    for _index in range(1, 50):
        vars()[f"f{_index:02d}"] = KINDS[_index % len(KINDS)](f"Field {_index}")
    del _index
