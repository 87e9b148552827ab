"""mail.template: rendering in the sandbox, as the user, per language; preview
and send_mail; sandbox escapes refused."""

from __future__ import annotations

import pytest

from addons.mail.tools.render import render
from core.exceptions import AccessError, UserError
from tests.addons_mail.conftest import messages_of


@pytest.fixture
def lead(env, users):
    customer = env["res.partner"].create({"name": "Müller & Söhne", "email": "m@example.de",
                                          "lang": "en_US"})
    return env["tm.lead"].with_user(users.sales1).create({
        "name": "Panels <b>", "partner_id": customer.id, "user_id": users.sales1.id,
        "description": "<script>alert(1)</script>"})


def template(env, body, subject="S"):
    return env["mail.template"].create({
        "name": "T", "model_id": env["ir.model"]._get_id("tm.lead"), "subject": subject,
        "body_html": body})


def test_preview_renders_fields_and_escapes_html(env, users, lead):
    welcome = env.ref("tm_lead.email_template_lead_welcome")
    preview = welcome.with_user(users.sales1).preview(lead.id)
    assert preview["subject"] == "Welcome, Müller & Söhne (Panels <b>)"    # text: as is
    assert preview["body_html"] == ("<p>Dear Müller &amp; Söhne,</p><p>About Panels &lt;b&gt;:"
                                    " &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert preview["partner_ids"] == [lead.partner_id.id]
    assert preview["email_from"] == "sales@example.com" and preview["lang"] == "en_US"


def test_send_mail_queues_a_mail_and_logs_it(env, users, lead):
    welcome = env.ref("tm_lead.email_template_lead_welcome")
    mail_id = welcome.with_user(users.sales1).send_mail(lead.id)
    mail = env["mail.mail"].browse(mail_id)
    assert mail.state == "outgoing" and mail.recipient_ids == lead.partner_id
    assert mail.subject == "Welcome, Müller & Söhne (Panels <b>)"
    assert mail.auto_delete
    logged = messages_of(lead)[-1]
    assert logged.message_type == "email_outgoing" and logged.message_id == mail.message_id
    assert logged.subject == mail.subject


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ object.env.cr }}",
    "{{ object.env.transaction.connection }}",
    "{{ object.sudo().name }}",
    "{{ object.with_user(1).name }}",
    "{{ object.write({'name': 'x'}) }}",
    "{{ object.search([]) }}",
    "{{ object._fields }}",
    "{{ object.__class__ }}",
    "{{ object.partner_id.env.ref('base.user_admin') }}",
    "{{ object.mapped('env') }}",
    "{% set x = [].append(1) %}{{ x }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ user.env.su }}",
])
def test_sandbox_refuses_escapes(env, users, lead, source):
    bad = template(env, f"<p>{source}</p>", subject=source)
    try:
        rendered = bad.with_user(users.sales1).preview(lead.id)
    except UserError as exc:
        assert "render" in str(exc) or "not valid" in str(exc)
        return
    # what was not refused rendered as nothing
    assert rendered["subject"] == "" and rendered["body_html"] == "<p></p>"


def test_render_unit_refusals(env, lead):
    assert render("{{ object.env }}", {"object": lead}) == ""
    with pytest.raises(UserError):
        render("{{ object.env.cr }}", {"object": lead})
    assert render("{{ object.name|upper }} {{ object.ids }}", {"object": lead}) == \
        f"PANELS <B> [{lead.id}]"
    assert render("{% for tag in object.tag_ids %}{{ tag.name }}{% endfor %}[{{ "
                  "object.user_id.partner_id.name }}]", {"object": lead}) == "[Sales1]"
    assert render("{{ object.description }}", {"object": lead}, html=True) == \
        "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_object_is_the_record_as_the_user(env, users, lead):
    """A template cannot show a user what their rights hide: rendering reads
    as the sending user."""
    theirs = env["tm.lead"].with_user(users.sales2).create({"name": "Theirs",
                                                            "user_id": users.sales2.id})
    body = template(env, "<p>{{ object.name }}</p>")
    with pytest.raises(AccessError):
        body.with_user(users.sales1).preview(theirs.id)
    assert body.with_user(users.manager).preview(theirs.id)["body_html"] == "<p>Theirs</p>"


def test_per_language_bodies(env, users, lead):
    env["res.lang"].with_context(active_test=False).search(
        [("code", "=", "zh_TW")]).write({"active": True})
    welcome = env.ref("tm_lead.email_template_lead_welcome")
    welcome.with_context(lang="zh_TW").write({"subject": "歡迎 {{ object.partner_id.name }}",
                                              "body_html": "<p>您好 {{ object.name }}</p>"})
    customer = lead.partner_id.sudo()
    customer.lang = "zh_TW"
    values = welcome.preview(lead.id)
    assert values["lang"] == "zh_TW"
    assert values["subject"] == "歡迎 Müller & Söhne"
    assert values["body_html"] == "<p>您好 Panels &lt;b&gt;</p>"
    customer.lang = "en_US"
    assert welcome.preview(lead.id)["subject"].startswith("Welcome")


def test_template_errors_are_user_errors(env, lead):
    broken = template(env, "<p>{{ object.name </p>")
    with pytest.raises(UserError, match="not valid"):
        broken.preview(lead.id)
    loop = template(env, "{% for i in range(10**9) %}x{% endfor %}")
    with pytest.raises(UserError):
        loop.preview(lead.id)


def test_message_post_with_source(env, users, lead):
    welcome = env.ref("tm_lead.email_template_lead_welcome")
    message = lead.with_user(users.sales1).message_post_with_source(welcome)
    assert message.subject == "Welcome, Müller & Söhne (Panels <b>)"
    assert message.sudo().partner_ids == lead.partner_id
    assert message.subtype_id == env.ref("mail.mt_comment")
    # the customer is told by e-mail
    mail = env["mail.mail"].search([("mail_message_id", "=", message.id)])
    assert mail.recipient_ids == lead.partner_id
