"""The public lead form (``/contactus``): its checks, its rate limit and the lead it makes.

    Submission = env["crm.lead.form.submission"]
    result = Submission._submit({"name": "Anna Berg", "email": "anna@lichtwerk.example",
                                 "company": "Lichtwerk GmbH", "country_id": "57",
                                 "phone": "+49 30 1234 567", "message": "500 panels?",
                                 "utm_campaign": "Light + Building 2026",
                                 "utm_medium": "Email", "utm_source": "Newsletter May"},
                                "203.0.113.7")
    result.outcome      # "lead", "spam" (the honeypot was filled), "invalid", "limited"
    result.lead         # the crm.lead (type lead), assigned by the teams' rules
    result.errors       # {"email": "E-mail: enter an address such as ..."} when invalid

Each accepted submission (a lead, or a filled honeypot) is a row here, with
a keyed hash of the client's address rather than the address itself; the
rate limit counts these rows (``crm_marketing.lead_form_limit`` per
``crm_marketing.lead_form_window`` seconds, system parameters), so it holds
across server workers and hosts sharing the database.

The lead is created as the form's own user (``crm_marketing.user_lead_form``,
archived, in the Public group and in "Lead form", which may create leads and
read stages, nothing else) from a fixed list of fields (``LEAD_FIELDS``):
nothing the visitor sends chooses a field. Campaign, medium and source are
existing records found by name; an unknown name creates nothing (the lead's
chatter notes it). Assignment (crm's team rules and round-robin) and the
note about possible existing customers then run with the superuser's rights
on that one lead, as for leads created by incoming mail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from addons.mail.tools.mail_utils import plaintext2html
from core import api, fields, models
from core.i18n import _
from core.orm.sql import escape_like

_logger = logging.getLogger(__name__)

#: the form's inputs: name -> (maximum length, required)
FORM_FIELDS = {"name": (100, True), "email": (254, True), "company": (100, False),
               "country_id": (12, False), "phone": (40, False), "message": (5000, True)}
UTM_FIELDS = {"utm_campaign": ("utm.campaign", "campaign_id"),
              "utm_medium": ("utm.medium", "medium_id"),
              "utm_source": ("utm.source", "source_id")}
UTM_MAX = 100
#: the hidden field that people leave empty and form-filling robots do not
HONEYPOT = "website"
#: the only fields of crm.lead the form writes
LEAD_FIELDS = frozenset({"type", "name", "contact_name", "email_from", "partner_name",
                         "country_id", "phone", "description", "campaign_id", "medium_id",
                         "source_id", "user_id"})
DEFAULT_LIMIT, DEFAULT_WINDOW = 5, 3600
#: days the submissions are kept (the rate limit needs the last window only)
KEEP_DAYS = 30

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{4,30}(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class FormResult:
    """What became of a submission; ``values`` are the cleaned inputs (shown again
    when ``errors`` or ``outcome == "limited"``)."""

    outcome: str
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    lead: Any = None
    retry_after: int = 0


class CrmLeadFormSubmission(models.Model):
    _name = "crm.lead.form.submission"
    _description = "Lead Form Submission"
    _order = "id desc"

    client_key = fields.Char("Client", required=True, index=True, readonly=True,
                             help="A keyed hash of the sender's network address (the "
                                  "address itself is not kept)")
    outcome = fields.Selection([("lead", "Lead created"), ("spam", "Refused as spam")],
                               required=True, readonly=True, index=True)
    lead_id = fields.Many2one("crm.lead", "Lead", ondelete="set null", readonly=True)

    # ------------------------------------------------------------------
    # the whole path of one submission
    # ------------------------------------------------------------------
    @api.model
    def _submit(self, data: dict[str, Any], address: str | None,
                lang: str | None = None) -> FormResult:
        """Check and record one submission of the form (``data``: the posted
        inputs, as text) from the network ``address``."""
        values = self._clean(data)
        key = self._client_key(address or "unknown")
        wait = self._retry_after(key)
        if wait:
            return FormResult("limited", values, retry_after=wait)
        if str(data.get(HONEYPOT) or "").strip():
            self.sudo().create({"client_key": key, "outcome": "spam"})
            _logger.info("lead form: honeypot filled, nothing created")
            return FormResult("spam", values)
        errors = self._validate(values, lang)
        if errors:
            return FormResult("invalid", values, errors)
        lead = self._create_lead(values, lang)
        self.sudo().create({"client_key": key, "outcome": "lead", "lead_id": lead.id})
        return FormResult("lead", values, lead=lead)

    @staticmethod
    def _clean(data: dict[str, Any]) -> dict[str, str]:
        """The inputs as trimmed text without control characters (new lines are
        kept in the message), UTM names cut to their maximum."""
        values = {}
        for name in (*FORM_FIELDS, *UTM_FIELDS):
            text = str(data.get(name) or "")
            if name != "message":
                text = " ".join(text.split())
            values[name] = _CONTROL.sub("", text).strip()
        for name in UTM_FIELDS:
            values[name] = values[name][:UTM_MAX]
        return values

    # ------------------------------------------------------------------
    # the rate limit
    # ------------------------------------------------------------------
    @api.model
    def _client_key(self, address: str) -> str:
        """HMAC-SHA256 of the address with the database secret."""
        params = self.env["ir.config_parameter"].sudo()
        secret = params.get_param("database.secret")
        if not secret:
            secret = secrets.token_hex(32)
            params.set_param("database.secret", secret)
        return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _rate_limit(self) -> tuple[int, int]:
        """(submissions allowed, per seconds) from the system parameters; a limit
        of 0 turns it off."""
        params = self.env["ir.config_parameter"].sudo()
        limit = _int_param(params, "crm_marketing.lead_form_limit", DEFAULT_LIMIT)
        window = _int_param(params, "crm_marketing.lead_form_window", DEFAULT_WINDOW)
        return max(limit, 0), max(window, 1)

    @api.model
    def _retry_after(self, key: str) -> int:
        """Seconds until this client may submit again (0: now)."""
        limit, window = self._rate_limit()
        if not limit:
            return 0
        now = fields.Datetime.now()
        recent = self.sudo().search([("client_key", "=", key),
                                     ("create_date", ">", now - dt.timedelta(seconds=window))],
                                    order="create_date desc, id desc", limit=limit)
        if len(recent) < limit:
            return 0
        oldest = recent[-1].create_date
        return max(1, int((oldest + dt.timedelta(seconds=window) - now).total_seconds()) + 1)

    @api.model
    def _cron_purge(self) -> int:
        """Every day: submissions older than ``KEEP_DAYS`` go."""
        old = self.sudo().search([("create_date", "<", fields.Datetime.now()
                                   - dt.timedelta(days=KEEP_DAYS))])
        count = len(old)
        old.unlink()
        return count

    # ------------------------------------------------------------------
    # checks
    # ------------------------------------------------------------------
    @api.model
    def _validate(self, values: dict[str, str], lang: str | None = None) -> dict[str, str]:
        """{input name: message naming the field} for each input that is wrong."""
        env = self.env(context={**self.env.context, "lang": lang or self.env.lang})
        labels = self._labels(env)
        errors: dict[str, str] = {}
        for name, (size, required) in FORM_FIELDS.items():
            value = values[name]
            if required and not value:
                errors[name] = _(env, "%(field)s: this field is required.",
                                 field=labels[name])
            elif len(value) > size:
                errors[name] = _(env, "%(field)s: at most %(size)s characters (you typed "
                                 "%(length)s).", field=labels[name], size=size,
                                 length=len(value))
        if values["email"] and "email" not in errors and not _EMAIL.match(values["email"]):
            errors["email"] = _(env, "%(field)s: %(value)s is not an e-mail address; enter "
                                "one such as name@example.com.", field=labels["email"],
                                value=values["email"])
        if values["phone"] and "phone" not in errors and not _PHONE.match(values["phone"]):
            errors["phone"] = _(env, "%(field)s: use digits, spaces and + ( ) - . / only, "
                                "e.g. +49 30 1234 567.", field=labels["phone"])
        if values["country_id"] and not self._country(values["country_id"]):
            errors["country_id"] = _(env, "%(field)s: choose a country from the list.",
                                     field=labels["country_id"])
        return errors

    @staticmethod
    def _labels(env: Any) -> dict[str, str]:
        return {"name": _(env, "Your name"), "email": _(env, "E-mail"),
                "company": _(env, "Company"), "country_id": _(env, "Country"),
                "phone": _(env, "Phone"), "message": _(env, "Message")}

    @api.model
    def _country(self, value: str) -> Any:
        Country = self.env["res.country"].sudo()  # noqa: N806
        if not value.isdigit():
            return Country.browse()
        return Country.browse(int(value)).exists()

    # ------------------------------------------------------------------
    # the lead
    # ------------------------------------------------------------------
    @api.model
    def _create_lead(self, values: dict[str, str], lang: str | None = None) -> Any:
        """The lead, created as the form's user from ``LEAD_FIELDS`` only, then
        assigned and annotated with the superuser's rights."""
        user = self.env.ref("crm_marketing.user_lead_form").sudo()
        form_env = self.env(user=user.id, su=False,
                            context={"lang": user.lang or "en_US",
                                     "mail_create_nosubscribe": True})
        utm, unknown = self._utm_values(values, lang)
        who = values["company"] or values["name"]
        lead_values = {
            "type": "lead", "user_id": False,
            "name": _(form_env, "Web inquiry from %s", who)[:200],
            "contact_name": values["name"], "email_from": values["email"],
            "partner_name": values["company"] or False,
            "country_id": self._country(values["country_id"]).id or False,
            "phone": values["phone"] or False,
            "description": plaintext2html(values["message"]), **utm}
        if not set(lead_values) <= LEAD_FIELDS:
            raise ValueError(f"The lead form may not write {set(lead_values) - LEAD_FIELDS}")
        lead = form_env["crm.lead"].create(lead_values)
        lead = lead.sudo()
        self.env["crm.team"].sudo()._assign_leads(lead)
        self.with_env(form_env(su=True))._note_lead(lead.with_env(form_env(su=True)), unknown)
        return lead.with_env(self.env)

    @api.model
    def _utm_values(self, values: dict[str, str], lang: str | None) -> tuple[dict, list]:
        """({field: id} of the campaign, medium and source named in the link, [(input,
        name)] of the names that match nothing)."""
        found: dict[str, int] = {}
        unknown: list[tuple[str, str]] = []
        for key, (model, field_name) in UTM_FIELDS.items():
            name = values[key]
            if not name:
                continue
            record = self._utm_record(model, name, lang)
            if record:
                found[field_name] = record.id
            else:
                unknown.append((key, name))
        return found, unknown

    @api.model
    def _utm_record(self, model: str, name: str, lang: str | None) -> Any:
        """The record named ``name`` (case-insensitive; archived ones too: a late
        answer to an ended campaign still belongs to it), in English or in the
        page's language for translated names."""
        Model = self.env[model].sudo().with_context(active_test=False)  # noqa: N806
        for language in dict.fromkeys(("en_US", lang or "en_US")):
            found = Model.with_context(lang=language).search(
                [("name", "=ilike", escape_like(name))], limit=1, order="id")
            if found:
                return found
        return Model.browse()


    @api.model
    def _note_lead(self, lead: Any, unknown: list[tuple[str, str]]) -> None:
        """A note on the new lead: the link's unknown campaign, medium or source
        names, the customers it may belong to and similar leads."""
        env = self.env
        kinds = {
            "utm_campaign": lambda name: _(env, "The campaign %s of the link does not exist.",
                                           name),
            "utm_medium": lambda name: _(env, "The medium %s of the link does not exist.",
                                         name),
            "utm_source": lambda name: _(env, "The source %s of the link does not exist.",
                                         name)}
        items = [Markup("<li>{}</li>").format(kinds[key](repr(name))) for key, name in unknown]
        partners = self._matching_customers(lead)
        if partners:
            items.append(Markup("<li>{}</li>").format(_(
                env, "Possible existing customer: %s. Link it when converting the lead.",
                ", ".join(partners.mapped("display_name")))))
        similar = self._similar_leads(lead)
        if similar:
            items.append(Markup("<li>{}</li>").format(_(
                env, "Similar leads: %s.",
                ", ".join(f"{other.name} (#{other.id})" for other in similar))))
        body = Markup("<p>{}</p>").format(_(env, "Received from the web form."))
        if items:
            body += Markup("<ul>{}</ul>").format(Markup("").join(items))
        lead._message_log(body=body)

    @api.model
    def _similar_leads(self, lead: Any, limit: int = 10) -> Any:
        """Other leads (lost ones too) with the same e-mail, company e-mail domain or
        company name: indexed conditions only, so that a public submission stays
        cheap at any number of leads (the lead's "Similar Leads" button has crm's
        full search)."""
        terms: list[tuple] = []
        if lead.email_from:
            terms.append(("email_from", "=ilike", escape_like(lead.email_from.strip())))
        if lead.email_domain_criterion:
            terms.append(("email_domain_criterion", "=", lead.email_domain_criterion))
        if lead.partner_name:
            terms.append(("partner_name", "=ilike", escape_like(lead.partner_name)))
        if not terms:
            return lead.browse()
        domain = ["|"] * (len(terms) - 1) + terms + [("id", "!=", lead.id)]
        return lead.with_context(active_test=False).search(domain, limit=limit,
                                                           order="id desc")

    @api.model
    def _matching_customers(self, lead: Any) -> Any:
        """Contacts with the lead's e-mail, and companies that look like its company
        (crm's duplicate keys: normalised name, e-mail domain)."""
        Partner = self.env["res.partner"]  # noqa: N806
        partners = Partner.browse()
        address = (lead.email_from or "").strip()
        if address:
            partners = Partner.search([("email", "=ilike", escape_like(address))], limit=5)
        if lead.partner_name or lead.email_from:
            partners |= Partner._find_duplicates({"name": lead.partner_name,
                                                  "email": lead.email_from,
                                                  "is_company": True}, limit=5)
        return partners


def _int_param(params: Any, key: str, default: int) -> int:
    raw = params.get_param(key, default)
    try:
        return int(str(raw).strip())
    except ValueError:
        _logger.warning("system parameter %s=%r is not a whole number; using %s",
                        key, raw, default)
        return default
