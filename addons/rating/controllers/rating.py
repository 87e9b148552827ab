"""The customer's survey page: ``/rate/<token>``.

    GET  /rate/<token>            the question: a score from 1 to 5 and a comment
    GET  /rate/<token>/<score>    the same with the score chosen (the mail's five links)
    POST /rate/<token>            rating=1..5, feedback=..., csrf_token=...: the answer (once)

No login: the signed, expiring token is the customer's authentication
(models/rating_rating.py). The page gives the visitor a session of their own
and the form carries that session's CSRF token, which the POST must bring
back. An invalid link answers 404, an expired one 410, a second answer 409.
The page speaks the customer's language.
"""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import Forbidden
from werkzeug.wrappers import Request, Response

from core.http.routes import route
from core.i18n import _

STATUS = {"invalid": 404, "expired": 410, "closed": 409}
SCORES = (5, 4, 3, 2, 1)


def _render(app: Any, env: Any, **values: Any) -> Response:
    lang = env.lang or "en_US"
    return app.render("rating/rate.html", status=values.pop("status", 200), lang=lang,
                      **values)


def _lang_env(rating: Any) -> Any:
    lang = rating.partner_id.lang or "en_US"
    return rating.env(context={**rating.env.context, "lang": lang})


def _show(app: Any, session: Any, token: str, chosen: int | None = None) -> Response:
    from addons.rating.models.rating_rating import RatingLinkError

    with app.db.env() as env:
        try:
            rating = env["rating.rating"]._rating_from_token(token)
        except RatingLinkError as exc:
            return _render(app, env, message=str(exc), status=STATUS[exc.reason])
        lenv = _lang_env(rating)
        response = _render(app, lenv, rating=rating.with_env(lenv), token=token,
                           scores=SCORES, chosen=chosen, csrf_token=session.csrf_token(),
                           company=lenv.company.sudo().name)
    if session.is_new:      # a session of its own carries the CSRF secret (its cookie is
        app.sessions.save(session)      # set by the application); saved once the
    return response                     # transaction is over: SQLite has one writer


@route("/rate/<token>", methods=("GET", "POST"), module="rating")
def rate(app: Any, request: Request, session: Any, token: str) -> Response:
    if request.method == "GET":
        return _show(app, session, token)
    if session.is_new or not session.check_csrf(request.form.get("csrf_token")):
        raise Forbidden("The form has expired or did not come from this site; reload the "
                        "page and try again.")
    return _answer(app, session, token, request.form.get("rating", ""),
                   request.form.get("feedback", ""))


@route("/rate/<token>/<int:score>", methods=("GET",), module="rating", name="rate_score")
def rate_score(app: Any, request: Request, session: Any, token: str,
               score: int) -> Response:
    return _show(app, session, token, score if score in SCORES else None)


def _answer(app: Any, session: Any, token: str, score: str, feedback: str) -> Response:
    from addons.rating.models.rating_rating import RatingLinkError

    with app.db.env() as env:
        try:
            rating = env["rating.rating"]._rating_from_token(token)
        except RatingLinkError as exc:
            return _render(app, env, message=str(exc), status=STATUS[exc.reason])
        lenv = _lang_env(rating)
        if not score.isdigit() or int(score) not in SCORES:
            return _render(app, lenv, rating=rating.with_env(lenv), token=token,
                           scores=SCORES, chosen=None, csrf_token=session.csrf_token(),
                           company=lenv.company.sudo().name, feedback=feedback,
                           error=_(lenv, "Choose a score from 1 to 5."), status=400)
        rating._apply_rating(int(score), feedback)
        return _render(app, lenv, done=True,
                       message=_(lenv, "Thank you for your feedback!"))
