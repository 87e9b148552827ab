"""Satisfaction surveys: sent when a ticket is solved, a signed link that works
once and expires, and ratings rolled up per team and per agent."""

from __future__ import annotations

import datetime as dt

import pytest

from addons.rating.models.rating_rating import RatingLinkError
from core.exceptions import ValidationError


@pytest.fixture
def solved(desk):
    """Two tickets of agent1 and one of agent2, solved: three surveys sent."""
    tickets = [desk.ticket(f"T{i}") for i in range(3)]       # agent1, agent2, agent1
    for ticket in tickets:
        ticket.with_user(ticket.user_id).action_solve()
    return tickets


def rating_of(env, ticket):
    return env["rating.rating"].search([("res_model", "=", "helpdesk.ticket"),
                                        ("res_id", "=", ticket.id)], limit=1)


def token_of(rating):
    return rating.rating_url.rsplit("/", 1)[1]


def test_solving_sends_the_survey(desk, solved):
    env = desk.env
    ticket = solved[0]
    rating = rating_of(env, ticket)
    assert (rating.partner_id, rating.rated_partner_id) == (desk.anna,
                                                            ticket.user_id.partner_id)
    assert (rating.parent_res_model, rating.parent_res_id) == ("helpdesk.team", desk.team.id)
    assert rating.res_name == ticket.display_name and not rating.consumed
    mail = env["mail.mail"].search([("model", "=", "helpdesk.ticket"),
                                    ("res_id", "=", ticket.id),
                                    ("subject", "ilike", "How was our answer")])
    assert mail.recipient_ids == desk.anna
    assert token_of(rating) in mail.body_html
    assert ticket.rating_request_url.endswith(token_of(rating))


def test_no_survey_when_the_team_does_not_rate_or_the_ticket_is_cancelled(desk):
    desk.team.use_rating = False
    quiet = desk.ticket("Quiet")
    quiet.with_user(quiet.user_id).action_solve()
    desk.team.use_rating = True
    spam = desk.ticket("Spam")
    spam.with_user(spam.user_id).action_cancel()
    assert not rating_of(desk.env, quiet) and not rating_of(desk.env, spam)
    assert spam.close_date


def test_a_link_works_once(desk, solved):
    Rating = desk.env["rating.rating"]  # noqa: N806
    rating = rating_of(desk.env, solved[0])
    token = token_of(rating)
    assert Rating._rating_from_token(token) == rating
    rating._apply_rating(5, "  Perfect  ")
    assert (rating.rating, rating.feedback, rating.rating_text) == (5.0, "Perfect", "top")
    assert rating.rating_date and rating.consumed
    with pytest.raises(RatingLinkError) as refused:
        Rating._rating_from_token(token)
    assert refused.value.reason == "closed"
    with pytest.raises(RatingLinkError):
        rating._apply_rating(1)
    assert solved[0].rating_last_value == 5.0


def test_a_link_expires(desk, solved):
    Rating = desk.env["rating.rating"]  # noqa: N806
    rating = rating_of(desk.env, solved[0])
    token = token_of(rating)
    created = rating.create_date.date()
    assert Rating._rating_from_token(token, today=created + dt.timedelta(days=30))
    with pytest.raises(RatingLinkError) as refused:
        Rating._rating_from_token(token, today=created + dt.timedelta(days=31))
    assert refused.value.reason == "expired"
    # a shorter validity for links made from now on
    desk.env["ir.config_parameter"].set_param("rating.link_days", "7")
    short = rating._rating_token()
    with pytest.raises(RatingLinkError):
        Rating._rating_from_token(short, today=created + dt.timedelta(days=8))


def test_links_cannot_be_forged_or_moved(desk, solved):
    Rating = desk.env["rating.rating"]  # noqa: N806
    first, second = rating_of(desk.env, solved[0]), rating_of(desk.env, solved[1])
    token = token_of(first)
    rid, expiry, signature = token.split(".")
    for forged in (f"{second.id}.{expiry}.{signature}",            # another rating
                   f"{rid}.{int(expiry) + 365}.{signature}",       # a later expiry
                   f"{rid}.{expiry}.{'0' * 40}", "12", "", "a.b.c", f"{rid}.{expiry}"):
        with pytest.raises(RatingLinkError) as refused:
            Rating._rating_from_token(forged)
        assert refused.value.reason == "invalid"
    # a new secret invalidates every link
    desk.env["ir.config_parameter"].set_param("database.secret", "another secret")
    with pytest.raises(RatingLinkError):
        Rating._rating_from_token(token)


def test_a_new_survey_revokes_the_previous_link(desk, solved):
    ticket = solved[0]
    old = rating_of(desk.env, ticket)
    old_token = token_of(old)
    ticket.with_user(ticket.user_id).action_reopen()
    ticket.with_user(ticket.user_id).action_solve()
    with pytest.raises(RatingLinkError):
        desk.env["rating.rating"]._rating_from_token(old_token)
    assert ticket.rating_request_url and old_token not in ticket.rating_request_url


def test_scores_are_one_to_five(desk, solved):
    rating = rating_of(desk.env, solved[0])
    for wrong in (0, 6, "5", True, 4.5):
        with pytest.raises(ValidationError):
            rating._apply_rating(wrong)
    assert not rating.consumed


def test_ratings_rolled_up_per_team_and_agent(desk, solved):
    env = desk.env
    for ticket, score in zip(solved, (5, 2, 3), strict=True):
        rating_of(env, ticket)._apply_rating(score)
    assert desk.team.rating_avg == pytest.approx(10 / 3, abs=0.01)
    by_agent = {g["user_id"][1]: g["rating_last_value"] for g in env["helpdesk.ticket"]
                .read_group([("rating_last_value", ">", 0)], ["rating_last_value:avg"],
                            ["user_id"])}
    assert by_agent == {"Agent1": 4.0, "Agent2": 2.0}
    by_operator = {g["rated_partner_id"][1]: (g["rating"], g["rated_partner_id_count"])
                   for g in env["rating.rating"].read_group(
                       [("consumed", "=", True)], ["rating:avg"], ["rated_partner_id"])}
    assert by_operator == {"Agent1": (4.0, 2), "Agent2": (2.0, 1)}
    texts = {g["rating_text"]: g["rating_text_count"] for g in env["rating.rating"]
             .read_group([("consumed", "=", True)], ["rating_text"], ["rating_text"])}
    assert texts == {"top": 1, "ok": 1, "ko": 1}
