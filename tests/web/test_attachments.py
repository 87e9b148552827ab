"""Attachments on records: the form's area, upload, download, delete, limits and access."""

from __future__ import annotations

import io
import re

import pytest

from core.exceptions import AccessError
from tests.web.conftest import text, xmlid


def order(web, name: str = "SO010") -> tuple[str, int]:
    """The form URL and id of an order."""
    with web.env() as env:
        record = env["tweb.order"].search([("name", "=", name)])
    return f"/web/action/{xmlid(web, 'tweb_shop.tweb_order_action')}/{record.id}", record.id


def attach(client, model: str, res_id: int, name: str, content: bytes, back: str = "/web",
           **kwargs):
    return client.post("/web/attachment/upload", {
        "model": model, "res_id": str(res_id), "back": back,
        "file": (io.BytesIO(content), name)}, content_type="multipart/form-data", **kwargs)


def attachments_of(web, model: str, res_id: int) -> dict[str, int]:
    """{name: id} of the record's files."""
    with web.env() as env:
        found = env["ir.attachment"].search([("res_model", "=", model),
                                             ("res_id", "=", res_id)])
        return {a.name: a.id for a in found}


def test_the_form_of_a_saved_record_lists_its_files(web):
    client = web.client("demo")
    url, order_id = order(web, "SO010")
    html = text(client.get(url))
    assert "o-attachments" in html and "No files are attached yet." in html
    assert "o-attachments" not in text(client.get(url.rsplit("/", 1)[0] + "/new"))
    response = attach(client, "tweb.order", order_id, "offer.pdf", b"%PDF-1.4 offer", back=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    html = text(client.get(url))
    row = re.search(r'<tr class="o-attachment".*?</tr>', html, re.S).group(0)
    assert "offer.pdf" in row and "14 B" in row and "Demo" in row
    with web.env() as env:
        stored = env["ir.attachment"].search([("res_model", "=", "tweb.order"),
                                              ("res_id", "=", order_id)])
        assert stored.name == "offer.pdf" and stored.mimetype == "application/pdf"
        assert stored.create_uid.login == "demo" and stored.raw == b"%PDF-1.4 offer"


def test_download_names_the_file_and_never_sniffs(web):
    client = web.client("demo")
    _url, order_id = order(web, "SO011")
    attach(client, "tweb.order", order_id, "報價單 v2.pdf", b"%PDF-1.4 quote")
    attach(client, "tweb.order", order_id, "page.html", b"<script>alert(1)</script>")
    attach(client, "tweb.order", order_id, "logo.svg", b"<svg onload='alert(1)'/>")
    files = attachments_of(web, "tweb.order", order_id)
    pdf = client.get(f"/web/attachment/{files['報價單 v2.pdf']}")
    assert pdf.status_code == 200 and pdf.get_data() == b"%PDF-1.4 quote"
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["Content-Disposition"] == (
        "inline; filename=\"___ v2.pdf\"; "
        "filename*=UTF-8''%E5%A0%B1%E5%83%B9%E5%96%AE%20v2.pdf")
    forced = client.get(f"/web/attachment/{files['報價單 v2.pdf']}?download=1")
    assert forced.headers["Content-Disposition"].startswith("attachment;")
    for name in ("page.html", "logo.svg"):
        response = client.get(f"/web/attachment/{files[name]}")
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.mimetype in ("application/octet-stream", "text/plain")
        assert "sandbox" in response.headers["Content-Security-Policy"]


def test_delete_asks_first_and_needs_the_token(web):
    client = web.client("demo")
    url, order_id = order(web, "SO012")
    attach(client, "tweb.order", order_id, "old.txt", b"old")
    file_id = attachments_of(web, "tweb.order", order_id)["old.txt"]
    assert 'data-confirm="Delete the file old.txt?"' in text(client.get(url))
    asked = client.post(f"/web/attachment/{file_id}/delete", {"back": url})
    assert asked.status_code == 200 and "Delete the file old.txt?" in text(asked)
    refused = client.post(f"/web/attachment/{file_id}/delete",
                          {"back": url, "confirmed": "1"}, csrf=False)
    assert refused.status_code == 403 and attachments_of(web, "tweb.order", order_id)
    done = client.post(f"/web/attachment/{file_id}/delete", {"back": url, "confirmed": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith(url)
    assert not attachments_of(web, "tweb.order", order_id)


def test_uploads_need_the_token(web):
    client = web.client("demo")
    _url, order_id = order(web, "SO013")
    response = attach(client, "tweb.order", order_id, "x.txt", b"x", csrf=False)
    assert response.status_code == 403
    assert not attachments_of(web, "tweb.order", order_id)


def test_the_upload_size_limit_is_a_parameter(web):
    client = web.client("demo")
    _url, order_id = order(web, "SO014")
    with web.env() as env:
        env["ir.config_parameter"].set_param("web.max_file_upload_size", "1000")
    try:
        refused = attach(client, "tweb.order", order_id, "big.bin", b"x" * 1001)
        assert refused.status_code == 413
        assert "big.bin is larger than the limit of 1000 B." in text(refused)
        assert not attachments_of(web, "tweb.order", order_id)
        assert attach(client, "tweb.order", order_id, "ok.bin", b"x" * 1000).status_code == 302
    finally:
        with web.env() as env:
            env["ir.config_parameter"].set_param("web.max_file_upload_size", False)
    from core.http.web.attachments import DEFAULT_MAX_UPLOAD, max_upload_size

    with web.env() as env:
        assert max_upload_size(env) == DEFAULT_MAX_UPLOAD == 25 * 1024 * 1024


def test_files_of_records_a_user_may_not_read_stay_hidden(web):
    admin, demo = web.client("admin"), web.client("demo")
    with web.env() as env:
        secret = env["tweb.secret"].search([], limit=1)
    assert attach(admin, "tweb.secret", secret.id, "recipe.txt", b"flour").status_code == 302
    file_id = attachments_of(web, "tweb.secret", secret.id)["recipe.txt"]
    assert demo.get(f"/web/attachment/{file_id}").status_code == 404
    assert demo.post(f"/web/attachment/{file_id}/delete", {"confirmed": "1"}).status_code == 404
    assert attach(demo, "tweb.secret", secret.id, "x.txt", b"x").status_code == 403
    assert len(attachments_of(web, "tweb.secret", secret.id)) == 1


def test_outsider_cannot_attach_to_an_order(web):
    _url, order_id = order(web, "SO015")
    assert attach(web.client("outsider"), "tweb.order", order_id, "x.txt",
                  b"x").status_code == 403


@pytest.fixture
def users(web):
    with web.env() as env:
        return {login: env["res.users"].search([("login", "=", login)]).id
                for login in ("demo", "manager", "outsider")}


def test_attachment_access_follows_the_record_in_the_orm(web, users):
    with web.env() as env:
        secret = env["tweb.secret"].search([], limit=1)
        order_id = env["tweb.order"].search([("name", "=", "SO016")]).id
        on_secret = env["ir.attachment"].create({"name": "s.txt", "raw": b"s",
                                                 "res_model": "tweb.secret",
                                                 "res_id": secret.id})
        on_order = env["ir.attachment"].create({"name": "o.txt", "raw": b"o",
                                                "res_model": "tweb.order", "res_id": order_id})
        public = env["ir.attachment"].create({"name": "p.txt", "raw": b"p", "public": True,
                                              "res_model": "tweb.secret",
                                              "res_id": secret.id})
    with web.db.env(user=users["demo"]) as env:
        mine = env["ir.attachment"].create({"name": "mine.txt", "raw": b"m"})
        found = env["ir.attachment"].search([("id", "in", [on_secret.id, on_order.id,
                                                           public.id, mine.id])])
        assert sorted(found.ids) == sorted([on_order.id, public.id, mine.id])
        assert env["ir.attachment"].browse(on_order.id).raw == b"o"
        with pytest.raises(AccessError):
            env["ir.attachment"].browse(on_secret.id).read(["name"])
        with pytest.raises(AccessError):
            env["ir.attachment"].create({"name": "x", "raw": b"x",
                                         "res_model": "tweb.secret", "res_id": secret.id})
        with pytest.raises(AccessError):
            env["ir.attachment"].browse(public.id).write({"name": "renamed"})
        mine_id = mine.id
    with web.db.env(user=users["manager"]) as env:
        assert not env["ir.attachment"].search([("id", "=", mine_id)])   # demo's own file
        with pytest.raises(AccessError):
            env["ir.attachment"].browse(mine_id).unlink()
        assert env["ir.attachment"].search([("id", "=", on_order.id)])
    with web.db.env(user=users["outsider"]) as env:
        with pytest.raises(AccessError):
            env["ir.attachment"].search([])
