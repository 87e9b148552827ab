"""Traditional Chinese: the helpdesk's labels, menus, stages, workflow buttons,
messages and the survey e-mail of a Chinese-speaking customer."""

from __future__ import annotations

from core.i18n import _


def test_labels_menus_and_stages_in_chinese(desk):
    zh = desk.env(context={"lang": "zh_TW"})
    labels = zh["helpdesk.ticket"].fields_get(["name", "sla_deadline", "team_id"])
    assert (labels["name"]["string"], labels["sla_deadline"]["string"],
            labels["team_id"]["string"]) == ("主旨", "SLA 期限", "客服團隊")
    assert dict(zh["helpdesk.ticket"].fields_get(["sla_state"])["sla_state"]["selection"])[
        "at_risk"] == "即將逾期"
    assert zh.ref("crm_helpdesk.menu_helpdesk_root").name == "客服"
    assert zh.ref("crm_helpdesk.knowledge_menu").name == "知識庫"
    assert zh.ref("crm_helpdesk.stage_waiting").name == "等待客戶回覆"
    assert zh.ref("crm_helpdesk.type_complaint").name == "客訴"
    assert zh["knowledge.article"].fields_get(["visibility"])["visibility"]["string"] == "可見性"
    assert zh["rating.rating"].fields_get(["rating"])["rating"]["string"] == "評分值"
    assert zh["resource.calendar"].fields_get(["tz"])["tz"]["string"] == "時區"


def test_workflow_buttons_and_messages_in_chinese(desk):
    ticket = desk.ticket("退貨申請")
    agent = ticket.user_id.with_context(lang="zh_TW")
    buttons = {b["trigger"]: b["string"] for b in
               ticket.with_user(agent).with_context(lang="zh_TW").workflow_buttons()}
    assert buttons["action_solve"] == "解決" and buttons["action_wait"] == "等待客戶"
    assert _(desk.env(context={"lang": "zh_TW"}), "SLA at risk: %(sla)s is due %(deadline)s.",
             sla="首次回覆", deadline="2026/11/26 11:00:00") == \
        "SLA 即將逾期：首次回覆 的期限為 2026/11/26 11:00:00。"


def test_survey_mail_speaks_the_customers_language(desk):
    desk.anna.lang = "zh_TW"
    ticket = desk.ticket("燈管不亮")
    ticket.with_user(ticket.user_id).action_solve()
    mail = desk.env["mail.mail"].search([("model", "=", "helpdesk.ticket"),
                                         ("res_id", "=", ticket.id),
                                         ("subject", "ilike", "燈管不亮")])
    assert mail.subject == "您對「燈管不亮」的處理滿意嗎？"
    assert "為我們的服務評分" in mail.body_html and "/rate/" in mail.body_html
