"""``python server.py i18n extract|update|load`` (core/i18n/extract.py, command.py)
on a copy of the test addon, and the kernel's web catalog."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.i18n.extract import extract
from tests.i18n.conftest import ADDONS

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TROIKA_")}
    return subprocess.run([sys.executable, "server.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture
def addon(tmp_path) -> Path:
    """A copy of ti_shop (in a folder of its own) that the commands may rewrite."""
    shutil.copytree(Path(ADDONS) / "ti_shop", tmp_path / "ti_shop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "ti_shop"


def test_extract_writes_the_template(addon):
    (addon / "i18n" / "ti_shop.pot").unlink()
    result = run("i18n", "extract", "ti_shop", "--addons-path", str(addon.parent))
    assert result.returncode == 0, result.stderr
    assert "ti_shop: models" in result.stderr                   # progress on stderr
    assert "ti_shop: views/ti_product_views.xml (2/4): 11 texts" in result.stderr
    assert "25 messages" in result.stdout
    template = read(addon / "i18n" / "ti_shop.pot")
    found = {message.id: message for message in template if message.id}
    expected = {
        "Stock of %(product)s is empty.",       # _(env, ...)
        "Nothing in stock",                     # _lt(...)
        "Product", "Product Name", "Quantity",  # description, explicit and derived labels
        "Draft", "On Sale", "Internal notes",   # selection labels, help
        "Products", "Shop",                     # action and menu names
        "Check Stock", "Are you sure?", "e.g. Tea", "Pricing", "Sold by weight:",
        "Total Price",                          # view terms
        "Green Tea", "Pineapple Cake",          # translated fields of data records
        "Put on Sale",                          # a workflow's transition
        "Products for the translation tests",   # the manifest's summary
    }
    assert expected <= set(found)
    assert "shown when a product has no stock left" in \
        found["Stock of %(product)s is empty."].auto_comments      # TRANSLATORS: comment
    assert "field: ti.product,state" in found["Draft"].auto_comments
    assert any(path.endswith("views/ti_product_views.xml") for path, _line in
               found["Pricing"].locations)
    assert all(message.string == "" for message in template if message.id)


def test_update_keeps_translations_and_contexts(addon):
    model = addon / "models" / "ti_product.py"
    source = model.read_text(encoding="utf-8")
    source = source.replace('"Internal notes"', '"Notes for the staff"').replace(
        "notes = fields.Text(", 'origin = fields.Char("Origin")\n    notes = fields.Text(')
    model.write_text(source, encoding="utf-8")
    assert run("i18n", "extract", "ti_shop", "--addons-path", str(addon.parent)).returncode == 0
    result = run("i18n", "update", "ti_shop", "--lang", "zh_TW", "--addons-path",
                 str(addon.parent))
    assert result.returncode == 0, result.stderr
    assert "2 new, 1 dropped, 2 untranslated" in result.stderr
    catalog = read(addon / "i18n" / "zh_TW.po")
    assert catalog.get("Product Name").string == "產品名稱"          # kept
    assert catalog.get("Draft", context="ti.product,state").string == "待上架"   # kept
    assert catalog.get("Notes for the staff").string == ""             # new, to translate
    assert catalog.get("Origin").string == ""
    assert catalog.get("Internal notes") is None                       # gone from the code,
    assert [m.string for m in catalog.obsolete.values()] == ["內部備註"]  # its translation kept
    model.write_text(source.replace('"Notes for the staff"', '"Internal notes"'),
                     encoding="utf-8")
    assert run("i18n", "extract", "ti_shop", "--addons-path", str(addon.parent)).returncode == 0
    result = run("i18n", "update", "ti_shop", "--lang", "zh_TW", "--addons-path",
                 str(addon.parent))
    assert "0 obsolete translations kept" in result.stderr
    catalog = read(addon / "i18n" / "zh_TW.po")
    assert catalog.get("Internal notes").string == "內部備註"          # back again
    assert catalog.get("Notes for the staff") is None and not catalog.obsolete


def test_update_creates_a_new_language_and_needs_a_template(addon, tmp_path):
    result = run("i18n", "update", "ti_shop", "--lang", "ja_JP", "--addons-path",
                 str(addon.parent))
    assert result.returncode == 0, result.stderr
    catalog = read(addon / "i18n" / "ja_JP.po")
    assert catalog.get("Product Name").string == ""
    (addon / "i18n" / "ti_shop.pot").unlink()
    result = run("i18n", "update", "ti_shop", "--lang", "zh_TW", "--addons-path",
                 str(addon.parent))
    assert result.returncode == 1
    assert "ti_shop.pot does not exist; run: python server.py i18n extract ti_shop" in \
        result.stderr
    assert run("i18n", "extract", "nowhere").stderr.startswith("error: No addon 'nowhere'")


def test_the_web_catalog_holds_the_templates_and_common_words():
    target, template = extract("web", write=False)
    assert target == ROOT / "core" / "http" / "i18n" / "web.pot"
    log_in = template.get("Log in")
    assert any(path == "core/http/templates/login.html" for path, _line in log_in.locations)
    for word in ("Save", "Discard", "Group By", "Favorites", "Uninstall", "Preferences"):
        assert template.get(word) is not None, word


def test_base_holds_the_kernels_messages():
    _target, template = extract("base", write=False)
    required = template.get("A value is required for field '%(label)s' (%(model)s.%(field)s).")
    assert required.locations[0][0] == "core/orm/models.py"
    assert template.get("read") is not None and template.get("delete") is not None
    assert template.get("Internal User") is not None           # base's data
    assert template.get("Discard") is None                     # the web catalog's word
    committed = read(ROOT / "addons" / "base" / "i18n" / "zh_TW.po")
    kernel = [m.id for m in template if m.id and any(
        path.startswith(("core/orm/", "core/security/")) for path, _line in m.locations)]
    assert "read" in kernel and len(kernel) >= 9
    # the errors a web form shows: translated (others: python server.py i18n update base)
    for text in ("A value is required for field '%(label)s' (%(model)s.%(field)s).",
                 "read", "modify", "create", "delete",
                 "Access to unauthorized or invalid companies."):
        assert committed.get(text).string, text


def test_load_fills_a_database(installed_db, capsys):
    from core.cli import main

    db = installed_db(("base", "ti_shop"), ADDONS)
    with db.env() as env:
        tea = env.ref("ti_shop.product_tea")
        tea.with_context(lang="zh_TW").name = "烏龍茶"
    url = db.url.render_as_string(hide_password=False)
    assert main(["i18n", "load", "--db-url", url, "--addons-path", ADDONS, "--lang",
                 "zh_TW", "ti_shop"]) == 0
    out, err = capsys.readouterr()
    assert "ti_shop: 1 texts" in err and "Loaded 1 translated texts" in out
    with db.env(context={"lang": "zh_TW"}) as env:
        assert env.ref("ti_shop.product_tea").name == "綠茶"
    assert main(["i18n", "load", "--db-url", url, "--addons-path", ADDONS, "nowhere"]) == 1
    assert "Not installed: nowhere" in capsys.readouterr().err
