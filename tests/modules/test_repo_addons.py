"""The checks every addon of the repository gets for free, on both backends:
its manifest is valid (test_manifest.py), and it installs with its data and
demo files on a fresh database, together with all the others: every data
file loads, every external id an access CSV names exists."""

from __future__ import annotations

import pytest

from core.modules import graph
from core.modules.manager import open_database
from tests.fixtures import fresh_database_url
from tests.modules.common import module_states

ADDONS = {name: manifest for name, manifest in graph.discover([graph.DEFAULT_ADDONS]).items()
          if manifest.installable}


@pytest.fixture(scope="module")
def everything(backend, tmp_path_factory):
    with fresh_database_url(backend, str(tmp_path_factory.mktemp("repo"))) as url:
        db = open_database(url, demo=True)
        db.install(sorted(ADDONS), demo=True)
        yield db
        db.close()


@pytest.mark.parametrize("name", sorted(ADDONS))
def test_addon_installs_with_its_data(everything, name):
    state, version = module_states(everything.engine)[name]
    assert (state, version) == ("installed", ADDONS[name].version)


def test_access_rules_name_existing_models(everything):
    with everything.env() as env:
        if "ir.model.access" not in env:
            pytest.skip("base has no ir.model.access yet")
        for rule in env["ir.model.access"].with_context(active_test=False).search([]):
            assert rule.model_id.model in env, rule.name


def test_every_model_is_reflected(everything):
    with everything.env() as env:
        reflected = set(env["ir.model"].search([]).mapped("model"))
        assert set(everything.registry.models) == reflected
