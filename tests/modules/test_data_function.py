"""The ``<function>`` element of data files: a model method called with literal
arguments, skipped for noupdate data when a module is upgraded."""

from __future__ import annotations

import pytest

from core.modules.data import DataError, DataLoader


def _load(env, tmp_path, body: str, mode: str = "init", noupdate: bool = False):
    path = tmp_path / "data.xml"
    path.write_text(f'<?xml version="1.0"?>\n<troika>\n{body}\n</troika>\n', encoding="utf-8")
    DataLoader(env, "base", mode=mode).load_file(path, noupdate=noupdate)


def test_function_calls_the_method_with_literal_arguments(addon_env, tmp_path):
    env = addon_env("base")
    _load(env, tmp_path, '<function model="res.partner" name="name_create" '
                         'eval="[\'Lumen &lt;buy@lumen.example&gt;\']"/>')
    partner = env["res.partner"].search([("email", "=", "buy@lumen.example")])
    assert partner.name == "Lumen"


def test_function_arguments_may_name_external_ids(addon_env, tmp_path):
    env = addon_env("base")
    _load(env, tmp_path, '<function model="res.partner" name="browse" '
                         'eval="[ref(\'base.main_partner\')]"/>')   # no error: the id resolved
    with pytest.raises(DataError, match="external id base.nowhere not found"):
        _load(env, tmp_path, '<function model="res.partner" name="browse" '
                             'eval="[ref(\'base.nowhere\')]"/>')


def test_noupdate_functions_are_skipped_on_update(addon_env, tmp_path):
    env = addon_env("base")
    body = '<function model="res.partner" name="name_create" eval="[\'Once\']"/>'
    _load(env, tmp_path, body, mode="update", noupdate=True)
    assert not env["res.partner"].search([("name", "=", "Once")])
    _load(env, tmp_path, body, mode="init", noupdate=True)
    assert env["res.partner"].search_count([("name", "=", "Once")]) == 1


@pytest.mark.parametrize("body, message", [
    ('<function model="res.partner"/>', "needs a model and a name"),
    ('<function model="no.model" name="x"/>', "unknown model 'no.model'"),
    ('<function model="res.partner" name="nope"/>', "res.partner has no method 'nope'"),
    ('<function model="res.partner" name="__class__"/>', "has no method '__class__'"),
    ('<function model="res.partner" name="browse" eval="__import__(\'os\')"/>', "data.xml:3"),
    ('<function model="res.partner" name="browse" eval="7"/>', "must be a list of arguments"),
])
def test_bad_function_elements_name_the_file_and_line(addon_env, tmp_path, body, message):
    env = addon_env("base")
    with pytest.raises(DataError, match=message):
        _load(env, tmp_path, body)
