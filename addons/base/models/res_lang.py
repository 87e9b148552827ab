"""Languages: which translations are installed and how numbers and dates look.

    env["res.lang"].get_installed()      # [('en_US', 'English (US)'), ('zh_TW', ...)]
    env["res.lang"]._lang_get("zh_TW").date_format   # '%Y/%m/%d'

The installed (active) languages are the choices of the ``lang`` fields
of partners and users.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import UserError
from core.security import access

#: the language a database always speaks, even before any is loaded
DEFAULT = ("en_US", "English (US)")


class ResLang(models.Model):
    _name = "res.lang"
    _description = "Languages"
    _order = "active desc, name"

    name = fields.Char(required=True)
    code = fields.Char("Locale Code", required=True, help="Language and country: en_US")
    iso_code = fields.Char("ISO code", help="The ISO code of the .po translation files")
    url_code = fields.Char("URL Code", required=True, help="The language's part of URLs")
    active = fields.Boolean()
    direction = fields.Selection([("ltr", "Left-to-Right"), ("rtl", "Right-to-Left")],
                                 required=True, default="ltr")
    date_format = fields.Char(required=True, default="%m/%d/%Y")
    time_format = fields.Char(required=True, default="%H:%M:%S")
    week_start = fields.Selection([("1", "Monday"), ("2", "Tuesday"), ("3", "Wednesday"),
                                   ("4", "Thursday"), ("5", "Friday"), ("6", "Saturday"),
                                   ("7", "Sunday")], "First Day of Week", required=True,
                                  default="7")
    grouping = fields.Char("Separator Format", required=True, default="[3,0]")
    decimal_point = fields.Char("Decimal Separator", required=True, default=".", trim=False)
    thousands_sep = fields.Char("Thousands Separator", default=",", trim=False)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The name of the language must be unique."),
        ("code_uniq", "unique(code)", "The code of the language must be unique."),
        ("url_code_uniq", "unique(url_code)", "The URL code of the language must be unique."),
    ]

    @api.model
    def get_installed(self) -> list[tuple[str, str]]:
        """[(code, name)] of the active languages (English alone before any is loaded)."""
        def query() -> list[tuple[str, str]]:
            langs = self.sudo().with_context(active_test=True).search([], order="name")
            return [(lang.code, lang.name) for lang in langs] or [DEFAULT]
        # kept for the process (every partner form asks), dropped when languages
        # change as rights are (access.SECURITY_MODELS)
        return list(access.cached(self.env, ("installed_langs",), query))

    @api.model
    def _lang_get(self, code: str):
        """The language record of ``code`` (active or not), or an empty record set."""
        return self.with_context(active_test=False).search([("code", "=", code)], limit=1)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("code") and not vals.get("url_code"):
                vals["url_code"] = vals["code"]
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("active") is False and any(lang.code == "en_US" for lang in self):
            raise UserError("English (US) cannot be deactivated: it is the language of "
                            "the source texts.")
        return super().write(vals)

    def unlink(self):
        for lang in self:
            if lang.code == "en_US":
                raise UserError("English (US) cannot be deleted.")
            if lang.active:
                raise UserError(f"Deactivate {lang.name} before deleting it.")
        return super().unlink()
