"""Leads and opportunities: the deals of the sales pipeline.

    lead = env["crm.lead"].create({"name": "500 LED panels for Lichtwerk",
                                   "partner_name": "Lichtwerk GmbH", "type": "lead",
                                   "email_from": "anna@lichtwerk.de",
                                   "expected_revenue": 42000, "currency_id": eur.id})
    lead.convert_opportunity(customer)          # a deal in the first stage of its team
    lead.stage_id = qualified                   # a free move: probability follows the stage
    lead.company_expected_revenue               # the EUR amount in the company currency
    lead.prorated_revenue                       # ... times the probability
    lead.action_set_won()                       # the won stage, 100 %, closed today
    other.action_set_lost(lost_reason_id=price.id)   # archived, 0 %, with the reason

Moving a deal between stages is a plain write of ``stage_id`` (the kanban's
drag and drop), as in Odoo; winning and losing are actions. Every move,
win, loss and restore is kept in ``crm.lead.stage.history`` (the pipeline
movement report) and tracked in the chatter. Conversion, duplicates,
merging and assignment are in ``crm_lead_convert.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from addons.crm.tools.normalize import email_domain
from core import api, fields, models
from core.exceptions import UserError
from core.i18n import _

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]
#: fields a lead takes from its customer when it gets one
PARTNER_ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")


def _default_currency(self):
    return self.env.company.currency_id.id


class CrmLead(models.Model):
    _name = "crm.lead"
    _description = "Lead/Opportunity"
    _inherit = ["mail.thread", "mail.activity.mixin", "utm.mixin"]
    _order = "priority desc, id desc"

    # -- the deal ----------------------------------------------------------
    name = fields.Char("Opportunity", required=True, index=True)
    type = fields.Selection([("lead", "Lead"), ("opportunity", "Opportunity")], required=True,
                            index=True, default="opportunity",
                            help="A lead is a contact to qualify; an opportunity a deal "
                                 "in the pipeline")
    active = fields.Boolean(default=True, tracking=True)
    priority = fields.Selection(PRIORITIES, "Priority", index=True, default="0")
    user_id = fields.Many2one("res.users", "Salesperson", index=True, tracking=True,
                              default=lambda self: self.env.uid,
                              domain=[("share", "=", False)])
    collaborator_ids = fields.Many2many(
        "res.users", "crm_lead_collaborator_rel", "lead_id", "user_id", "Co-Salespeople",
        domain=[("share", "=", False)],
        help="Salespeople who work on the deal with its salesperson: they see and follow it")
    team_id = fields.Many2one("crm.team", "Sales Team", index=True, tracking=True,
                              ondelete="set null")
    company_id = fields.Many2one("res.company", "Company", index=True,
                                 default=lambda self: self.env.company)
    stage_id = fields.Many2one("crm.stage", "Stage", index=True, tracking=True,
                               ondelete="restrict", group_expand=True, copy=False,
                               domain="['|', ('team_id', '=', False), "
                                      "('team_id', '=', team_id)]")
    tag_ids = fields.Many2many("crm.tag", "crm_tag_rel", "lead_id", "tag_id", "Tags")
    color = fields.Integer("Color Index")
    description = fields.Html("Notes")
    product_categ_id = fields.Many2one("product.category", "Product Line", index=True,
                                       ondelete="set null",
                                       help="The product line the deal is about (forecasts "
                                            "per product line)")
    lost_reason_id = fields.Many2one("crm.lost.reason", "Lost Reason", index=True,
                                     tracking=True, ondelete="restrict", copy=False)
    # -- the customer --------------------------------------------------------
    partner_id = fields.Many2one("res.partner", "Customer", index=True, tracking=True,
                                 ondelete="set null")
    commercial_partner_id = fields.Many2one(
        "res.partner", "Customer Company", related="partner_id.commercial_partner_id",
        store=True, index=True)
    partner_name = fields.Char("Company Name", compute="_compute_partner_fields", store=True,
                               readonly=False, help="The customer's company, before it is "
                                                    "a contact")
    contact_name = fields.Char("Contact Name", compute="_compute_partner_fields", store=True,
                               readonly=False)
    function = fields.Char("Job Position", compute="_compute_partner_fields", store=True,
                           readonly=False)
    email_from = fields.Char("Email", index=True, compute="_compute_partner_fields", store=True,
                             readonly=False)
    email_domain_criterion = fields.Char("Email Domain", compute="_compute_keys",
                                         store=True, index=True)
    phone = fields.Char(compute="_compute_partner_fields", store=True, readonly=False)
    mobile = fields.Char(compute="_compute_partner_fields", store=True, readonly=False)
    website = fields.Char("Website")
    street = fields.Char(compute="_compute_partner_fields", store=True, readonly=False)
    street2 = fields.Char(compute="_compute_partner_fields", store=True, readonly=False)
    zip = fields.Char(compute="_compute_partner_fields", store=True, readonly=False)
    city = fields.Char(compute="_compute_partner_fields", store=True, readonly=False)
    state_id = fields.Many2one("res.country.state", "State", compute="_compute_partner_fields",
                               store=True, readonly=False, ondelete="restrict")
    country_id = fields.Many2one("res.country", "Country", compute="_compute_partner_fields",
                                 store=True, readonly=False, ondelete="restrict", index=True)
    market_id = fields.Many2one("res.country.group", "Market", compute="_compute_keys",
                                store=True, readonly=False, index=True, ondelete="set null",
                                domain=[("is_market", "=", True)],
                                help="The sales market of the deal, from its country")
    # -- amounts ---------------------------------------------------------------
    currency_id = fields.Many2one("res.currency", "Currency", required=True,
                                  default=_default_currency,
                                  help="The currency of the expected revenue")
    company_currency = fields.Many2one("res.currency", "Company Currency",
                                       compute="_compute_company_currency")
    expected_revenue = fields.Monetary("Expected Revenue", currency_field="currency_id",
                                       tracking=True)
    company_expected_revenue = fields.Monetary(
        "Expected Revenue (company currency)", currency_field="company_currency",
        compute="_compute_company_expected_revenue", store=True,
        help="Converted at the rate of the day it was closed, else of today (refreshed "
             "every night for open deals)")
    prorated_revenue = fields.Monetary("Prorated Revenue", currency_field="company_currency",
                                       compute="_compute_company_expected_revenue", store=True,
                                       help="The expected revenue times the probability, "
                                            "in the company currency")
    probability = fields.Float("Probability", digits=(16, 2), group_operator="avg",
                               copy=False, help="From the stage, unless set by hand")
    automated_probability = fields.Float("Automated Probability", digits=(16, 2),
                                         readonly=True, copy=False)
    is_automated_probability = fields.Boolean("Is automated probability?",
                                              compute="_compute_is_automated_probability")
    won_status = fields.Selection([("won", "Won"), ("lost", "Lost"), ("pending", "Pending")],
                                  "Is Won", compute="_compute_won_status", store=True,
                                  index=True)
    # -- dates ---------------------------------------------------------------------
    date_deadline = fields.Date("Expected Closing", index=True,
                                help="When the deal is expected to close")
    date_closed = fields.Datetime("Closed Date", readonly=True, copy=False, index=True)
    date_open = fields.Datetime("Assignment Date", readonly=True, copy=False)
    date_conversion = fields.Datetime("Conversion Date", readonly=True, copy=False)
    date_last_stage_update = fields.Datetime("Last Stage Update", readonly=True, copy=False,
                                             index=True)
    day_open = fields.Float("Days to Assign", compute="_compute_days", store=True)
    day_close = fields.Float("Days to Close", compute="_compute_days", store=True,
                             group_operator="avg")
    # -- follow-up -------------------------------------------------------------------
    stage_history_ids = fields.One2many("crm.lead.stage.history", "lead_id", "Stage History")
    is_rotting = fields.Boolean("Rotting", compute="_compute_rotting", search="_search_rotting",
                                help="Longer in its stage than the stage allows")
    rotting_days = fields.Integer("Days in Stage", compute="_compute_rotting")

    _sql_constraints = [
        ("check_probability", "check(probability >= 0 and probability <= 100)",
         "The probability of closing the deal should be between 0% and 100%!"),
    ]

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_partner_fields(self) -> None:
        """What the lead takes from its customer (in one method, so that the ORM
        writes them in one UPDATE): names, e-mail, phones, and the address when
        the customer has one; what the lead holds otherwise."""
        for lead in self:
            partner = lead.partner_id
            commercial = partner.commercial_partner_id
            lead.partner_name = (commercial.name if commercial.is_company else
                                 partner.company_name) or lead.partner_name
            lead.contact_name = (partner.name if partner and not partner.is_company
                                 else False) or lead.contact_name
            for name, source in (("function", "function"), ("email_from", "email"),
                                 ("phone", "phone"), ("mobile", "mobile")):
                lead[name] = partner[source] or lead[name]
            source = partner if any(partner[name] for name in PARTNER_ADDRESS_FIELDS) else lead
            for name in PARTNER_ADDRESS_FIELDS:
                lead[name] = source[name]

    @api.depends("email_from", "country_id")
    def _compute_keys(self) -> None:
        """The e-mail domain (duplicates) and the market (reports, assignment)."""
        markets = self.env["res.country.group"]._markets_by_country(self.mapped("country_id"))
        for lead in self:
            lead.email_domain_criterion = email_domain(lead.email_from)
            lead.market_id = markets.get(lead.country_id.id, False)

    @api.depends("company_id")
    def _compute_company_currency(self) -> None:
        for lead in self:
            lead.company_currency = (lead.company_id or self.env.company).currency_id

    @api.depends("expected_revenue", "currency_id", "company_id", "date_closed", "probability")
    def _compute_company_expected_revenue(self) -> None:
        """The company-currency amount and its weighted part, with one rate lookup
        per currency, company and day (not per deal)."""
        groups: dict[tuple, Any] = defaultdict(lambda: self.browse())
        for lead in self:
            company = lead.company_id or self.env.company
            day = lead.date_closed.date() if lead.date_closed else fields.Date.today()
            groups[(lead.currency_id.id, company.id, day)] |= lead
        for (currency_id, company_id, day), leads in groups.items():
            company = self.env["res.company"].browse(company_id)
            target = company.currency_id
            source = self.env["res.currency"].browse(currency_id) or target
            rate = 1.0 if source == target else \
                self.env["res.currency"]._get_conversion_rate(source, target, company, day)
            for lead in leads:
                amount = target.round(lead.expected_revenue * rate)
                lead.company_expected_revenue = amount
                lead.prorated_revenue = target.round(amount * lead.probability / 100.0)

    @api.depends("probability", "automated_probability")
    def _compute_is_automated_probability(self) -> None:
        for lead in self:
            lead.is_automated_probability = abs(
                lead.probability - lead.automated_probability) < 0.005

    @api.depends("active", "probability", "stage_id.is_won")
    def _compute_won_status(self) -> None:
        for lead in self:
            if lead.active and lead.stage_id.is_won:
                lead.won_status = "won"
            elif not lead.active and not lead.probability:
                lead.won_status = "lost"
            else:
                lead.won_status = "pending"

    @api.depends("date_open", "date_closed")
    def _compute_days(self) -> None:
        for lead in self:
            start = lead.create_date
            lead.day_open = _days(start, lead.date_open) if start and lead.date_open else 0.0
            start = lead.date_conversion or lead.create_date
            lead.day_close = _days(start, lead.date_closed) if start and lead.date_closed \
                else 0.0

    @api.depends("stage_id", "date_last_stage_update", "active")
    def _compute_rotting(self) -> None:
        now = fields.Datetime.now()
        for lead in self:
            since = lead.date_last_stage_update or lead.create_date
            days = (now - since).days if since else 0
            threshold = lead.stage_id.rotting_threshold_days
            lead.rotting_days = days
            lead.is_rotting = bool(lead.active and threshold and not lead.stage_id.is_won
                                   and days > threshold)

    def _search_rotting(self, operator: str, value: Any) -> list:
        """Deals longer in their stage than its ``rotting_threshold_days``: one
        date condition per stage that has a threshold."""
        if operator not in ("=", "!="):
            raise ValueError(f"Operator {operator!r} is not supported on is_rotting")
        now = fields.Datetime.now()
        stages = self.env["crm.stage"].sudo().search([("rotting_threshold_days", ">", 0),
                                                      ("is_won", "=", False)])
        per_stage = [["&", ("stage_id", "=", stage.id),
                      ("date_last_stage_update", "<",
                       now - dt.timedelta(days=stage.rotting_threshold_days))]
                     for stage in stages]
        if not per_stage:
            rotting: list = [(0, "=", 1)]
        else:
            rotting = ["|"] * (len(per_stage) - 1) + [t for d in per_stage for t in d]
        positive = (operator == "=") == bool(value)
        return rotting if positive else ["!", *rotting]

    @api.model
    def _cron_refresh_company_revenue(self) -> int:
        """Every night: open deals in another currency than their company's are
        converted again at today's rate (closed ones keep their closing rate)."""
        leads = self.with_context(active_test=False).search(
            [("won_status", "=", "pending"), ("expected_revenue", "!=", 0)])
        foreign = leads.filtered(lambda lead: lead.currency_id != lead.company_currency)
        if foreign:
            self.env.registry.modified(foreign, ["currency_id"])
            foreign.flush_model()
        return len(foreign)

    # ------------------------------------------------------------------
    # onchange: the form follows the stage and the salesperson
    # ------------------------------------------------------------------
    @api.onchange("stage_id")
    def _onchange_stage_id(self) -> None:
        if self.stage_id and self.is_automated_probability:
            self.probability = self.stage_id._deal_probability()
            self.automated_probability = self.probability

    @api.onchange("user_id")
    def _onchange_user_id(self) -> None:
        if self.user_id and not self.team_id:
            self.team_id = self.env["crm.team"]._get_default_team_id(user_id=self.user_id.id)

    # ------------------------------------------------------------------
    # create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        memo: dict = {}          # teams of users, first stages of teams: once per batch
        prepared = [self._prepare_create_values(dict(vals), now, memo) for vals in vals_list]
        leads = super().create(prepared)
        leads._history_log({lead.id: ("entered", False) for lead in leads
                            if lead.type == "opportunity"})
        return leads

    def _prepare_create_values(self, vals: dict, now: dt.datetime, memo: dict) -> dict:
        """Team, company, stage, probability and dates of a new deal."""
        context = self.env.context
        lead_type = vals.get("type") or context.get("default_type") or "opportunity"
        user_id = vals["user_id"] if "user_id" in vals else \
            context.get("default_user_id", self.env.uid)
        if not vals.get("team_id") and not context.get("default_team_id") and user_id:
            if ("team", user_id) not in memo:
                memo[("team", user_id)] = self.env["crm.team"]._get_default_team_id(
                    user_id=user_id).id
            if memo[("team", user_id)]:
                vals["team_id"] = memo[("team", user_id)]
        team = self.env["crm.team"].browse(vals.get("team_id") or
                                           context.get("default_team_id"))
        if "company_id" not in vals and team.company_id:
            vals["company_id"] = team.company_id.id
        if not vals.get("stage_id") and not context.get("default_stage_id"):
            if ("stage", team.id) not in memo:
                memo[("stage", team.id)] = self._stage_find(team_id=team.id).id or False
            vals["stage_id"] = memo[("stage", team.id)]
        stage = self.env["crm.stage"].browse(vals.get("stage_id") or
                                             context.get("default_stage_id"))
        automated = stage._deal_probability() if stage else 0.0
        vals.setdefault("automated_probability", automated)
        vals.setdefault("probability", automated)
        vals.setdefault("date_last_stage_update", now)
        if user_id:
            vals.setdefault("date_open", now)
        if stage.is_won:
            vals.setdefault("date_closed", now)
        if lead_type == "opportunity" and not vals.get("date_conversion"):
            vals["date_conversion"] = now
        return vals

    def write(self, vals):
        vals = {key: value.id if key in ("stage_id", "user_id", "team_id")
                and hasattr(value, "_ids") else value for key, value in vals.items()}
        now = fields.Datetime.now()
        if "user_id" in vals and vals["user_id"]:
            vals.setdefault("date_open", now)
            if "team_id" not in vals:
                self._team_follows_user(vals)
        if vals.get("type") == "opportunity":
            vals.setdefault("date_conversion", now)
        moves = bool({"stage_id", "active", "type"} & set(vals))
        before = {lead.id: (lead.stage_id.id, lead.active, lead.type) for lead in self} \
            if moves else {}
        if "stage_id" in vals:
            vals.setdefault("date_last_stage_update", now)
            self._write_stage_probability(vals)
        if moves:
            self._closing_dates(vals, now)
        result = super().write(vals)
        if "collaborator_ids" in vals:
            self._message_auto_subscribe_users({"collaborator_ids"})
        if moves:
            self._history_after_write(before)
        return result

    def _team_follows_user(self, vals: dict) -> None:
        """A new salesperson outside the deal's team brings the deal to their team."""
        user_id = vals["user_id"]
        for lead in self:
            team = lead.team_id
            if team and (user_id in team.member_ids.ids or user_id == team.user_id.id):
                return
        team = self.env["crm.team"]._get_default_team_id(user_id=user_id)
        if team:
            vals["team_id"] = team.id

    def _write_stage_probability(self, vals: dict) -> None:
        """Entering a stage gives its probability to deals whose probability is
        still the automated one (unless ``vals`` sets one)."""
        stage = self.env["crm.stage"].browse(vals["stage_id"])
        automated = stage._deal_probability() if stage else 0.0
        if "probability" in vals:
            vals.setdefault("automated_probability", automated)
            return
        manual = self.filtered(lambda lead: not lead.is_automated_probability
                               or not lead.active)
        if manual and len(manual) < len(self):
            # some follow the stage, others keep theirs: two writes
            (self - manual).write({"probability": automated})
            vals["automated_probability"] = automated
            return
        vals["automated_probability"] = automated
        if not manual:
            vals["probability"] = automated

    def _closing_dates(self, vals: dict, now: dt.datetime) -> None:
        """Closed when lost or entering a won stage; open again when leaving it."""
        stage = self.env["crm.stage"].browse(vals["stage_id"]) if vals.get("stage_id") \
            else None
        if vals.get("active") is False or (stage is not None and stage.is_won):
            vals.setdefault("date_closed", now)
        elif stage is not None and vals.get("active", True) and \
                all(lead.active for lead in self):
            vals.setdefault("date_closed", False)

    # ------------------------------------------------------------------
    # the pipeline's moves, kept for the movement report
    # ------------------------------------------------------------------
    def _history_after_write(self, before: dict[int, tuple]) -> None:
        events: dict[int, tuple[str, int | bool]] = {}
        for lead in self:
            old_stage, was_active, old_type = before[lead.id]
            if old_type == "lead" and lead.type == "opportunity":
                events[lead.id] = ("entered", False)
            elif was_active and not lead.active:
                events[lead.id] = ("lost", old_stage)
            elif not was_active and lead.active:
                events[lead.id] = ("restored", old_stage)
            elif lead.stage_id.id != old_stage and lead.type == "opportunity":
                events[lead.id] = ("won" if lead.stage_id.is_won else "moved", old_stage)
        self._history_log(events)

    def _history_log(self, events: dict[int, tuple[str, int | bool]]) -> None:
        """One ``crm.lead.stage.history`` row per event: (kind, previous stage)."""
        if not events:
            return
        now = fields.Datetime.now()
        rows = []
        for lead in self.browse(list(events)).sudo():
            kind, old_stage = events[lead.id]
            rows.append({"lead_id": lead.id, "kind": kind, "from_stage_id": old_stage,
                         "stage_id": lead.stage_id.id, "date": now,
                         "user_id": lead.user_id.id, "team_id": lead.team_id.id,
                         "company_id": lead.company_id.id,
                         "amount": lead.company_expected_revenue})
        self.env["crm.lead.stage.history"].sudo().create(rows)

    # ------------------------------------------------------------------
    # stages, won and lost
    # ------------------------------------------------------------------
    @api.model
    def _stage_find(self, team_id: int | bool = False, domain: list | None = None) -> Any:
        """The first (non folded, non won) stage the team uses."""
        scope = ["|", ("team_id", "=", False), ("team_id", "=", team_id)] if team_id \
            else [("team_id", "=", False)]
        stages = self.env["crm.stage"].search(scope + list(domain or [("fold", "=", False)]),
                                              order="sequence, id")
        return stages.filtered(lambda s: not s.is_won)[:1] or stages[:1]

    def action_set_won(self) -> bool:
        """Won: the won stage of each deal's team, 100 %, closed now."""
        self.action_unarchive()
        for team_id, leads in self.grouped(lambda lead: lead.team_id.id).items():
            stage = self._stage_find(team_id=team_id, domain=[("is_won", "=", True)])
            if not stage:
                raise UserError(_(self.env, "No stage is marked as won: mark one in the "
                                  "pipeline's configuration."))
            leads.write({"stage_id": stage.id, "probability": 100.0,
                         "lost_reason_id": False})
        return True

    def action_set_won_rainbowman(self) -> bool:
        """Odoo's name of the Won button."""
        return self.action_set_won()

    def action_set_lost(self, **additional_values: Any) -> bool:
        """Lost: archived with 0 % (and e.g. ``lost_reason_id``)."""
        self.write({"active": False, "probability": 0.0, "automated_probability": 0.0,
                    **additional_values})
        return True

    def action_unarchive(self) -> bool:
        """Restore lost deals: no reason, the probability of their stage."""
        lost = self.filtered(lambda lead: not lead.active)
        if lost:
            for stage, leads in lost.grouped("stage_id").items():
                probability = stage._deal_probability() if stage else 0.0
                leads.write({"active": True, "lost_reason_id": False,
                             "probability": probability, "automated_probability": probability,
                             "date_closed": fields.Datetime.now() if stage.is_won else False})
        return True

    def toggle_active(self) -> bool:
        lost, active = self.filtered(lambda lead: not lead.active), \
            self.filtered("active")
        lost.action_unarchive()
        if active:
            active.action_set_lost()
        return True

    def action_archive(self) -> bool:
        return self.action_set_lost()

    def action_set_automated_probability(self) -> bool:
        """Back to the stage's probability."""
        for lead in self:
            lead.write({"probability": lead.automated_probability})
        return True

    def action_open_lost_wizard(self) -> dict:
        """The "Lost" button: ask for the reason."""
        wizard = self.env["crm.lead.lost"].create({"lead_ids": [(6, 0, self.ids)]})
        return {"type": "ir.actions.act_window", "name": _(self.env, "Lost Reason"),
                "res_model": "crm.lead.lost", "res_id": wizard.id, "view_mode": "form",
                "target": "new"}

    @api.model
    def _demo_generate_pipeline(self, seed: int = 42) -> int:
        """The demo data's customers and deals (crm/demo/crm_demo_pipeline.xml);
        returns how many deals."""
        from addons.crm.tools.demo import generate

        return len(generate(self.env, seed).deals)

    # ------------------------------------------------------------------
    # chatter
    # ------------------------------------------------------------------
    def _track_subtype(self, init_values: dict) -> Any:
        self.ensure_one()
        if "stage_id" in init_values and self.active and self.stage_id.is_won:
            return self.env.ref("crm.mt_lead_won")
        if "active" in init_values and not self.active and not self.probability:
            return self.env.ref("crm.mt_lead_lost")
        if "stage_id" in init_values:
            return self.env.ref("crm.mt_lead_stage")
        if "active" in init_values and self.active:
            return self.env.ref("crm.mt_lead_restored")
        return super()._track_subtype(init_values)

    def _message_auto_subscribe_users(self, names: set[str]) -> None:
        super()._message_auto_subscribe_users(names)
        if "collaborator_ids" in names:
            for lead in self.sudo():
                partners = lead.collaborator_ids.mapped("partner_id")
                if partners:
                    lead._message_subscribe_partners(partners.ids)


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return round(abs((end - start).total_seconds()) / 86400.0, 2)
