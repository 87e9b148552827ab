"""The dependency graph: discovery, order, missing dependencies, cycles and
auto_install bridges (the last ones on a live database of each backend)."""

from __future__ import annotations

import os

import pytest

from core.exceptions import UserError
from core.modules import graph
from core.modules.graph import DependencyError
from core.modules.manager import open_database
from tests.modules.common import ADDONS, ADDONS_V2, V1, columns, module_states, snapshot


@pytest.fixture(scope="module")
def addons():
    return graph.discover(graph.addons_paths([ADDONS]))


# -- discovery ---------------------------------------------------------------
def test_addons_paths_order(monkeypatch, tmp_path):
    monkeypatch.delenv("TROIKA_ADDONS_PATH", raising=False)
    assert graph.addons_paths() == [graph.DEFAULT_ADDONS]
    assert graph.addons_paths(f"{ADDONS_V2},{ADDONS}") == [graph.DEFAULT_ADDONS, ADDONS_V2,
                                                            ADDONS]
    assert graph.addons_paths(os.pathsep.join([str(ADDONS), str(ADDONS)])) == [
        graph.DEFAULT_ADDONS, ADDONS]
    monkeypatch.setenv("TROIKA_ADDONS_PATH", str(tmp_path))
    assert graph.addons_paths([ADDONS]) == [graph.DEFAULT_ADDONS, ADDONS, tmp_path]


def test_addons_path_must_exist(tmp_path):
    with pytest.raises(UserError, match="not a folder"):
        graph.addons_paths([tmp_path / "nowhere"])


def test_discover(addons):
    assert {"base", "tm_library", "tm_library_ext", "tm_bridge", "tm_other", "tm_cycle_a",
            "tm_cycle_b", "tm_missing"} <= set(addons)
    assert addons["base"].path == graph.DEFAULT_ADDONS / "base"
    assert addons["tm_library"].path == ADDONS / "tm_library"


def test_first_path_wins():
    found = graph.discover([ADDONS_V2, ADDONS])
    assert found["tm_library"].path == ADDONS_V2 / "tm_library"
    assert found["tm_library"].version == "1.1"
    assert found["tm_library_ext"].path == ADDONS / "tm_library_ext"
    assert graph.discover([ADDONS, ADDONS_V2])["tm_library"].version == "1.0"


def test_folders_without_manifest_are_ignored(tmp_path):
    (tmp_path / "not_an_addon").mkdir()
    (tmp_path / "README.txt").write_text("hello")
    assert graph.discover([tmp_path]) == {}


# -- order -----------------------------------------------------------------------
def test_install_order(addons):
    assert graph.install_order(["tm_library_ext"], addons) == [
        "base", "tm_library", "tm_library_ext"]
    assert graph.install_order(["tm_bridge"], addons) == [
        "base", "tm_library", "tm_other", "tm_bridge"]
    # stable: the same answer whatever the order of the request
    assert graph.install_order(["tm_other", "tm_library_ext", "tm_bridge"], addons) == \
        graph.install_order(["tm_bridge", "tm_library_ext", "tm_other"], addons)


def test_every_module_comes_after_its_dependencies(addons):
    good = [name for name in addons if name not in (
        "tm_cycle_a", "tm_cycle_b", "tm_missing", "tm_missing_dep")]
    order = graph.install_order(good, addons)
    assert order[0] == "base"
    assert sorted(order) == sorted(good)
    for index, name in enumerate(order):
        for dep in addons[name].depends:
            assert order.index(dep) < index, (name, dep)


def test_implicit_base_dependency(tmp_path):
    folder = tmp_path / "tm_nodeps"
    folder.mkdir()
    (folder / "__manifest__.py").write_text('{"name": "No depends"}')
    found = graph.discover([graph.DEFAULT_ADDONS, tmp_path])
    assert found["tm_nodeps"].depends == ["base"]
    assert found["base"].depends == []
    assert graph.install_order(["tm_nodeps"], found) == ["base", "tm_nodeps"]


def test_missing_dependency_with_chain(addons):
    with pytest.raises(DependencyError) as info:
        graph.closure(["tm_missing"], addons)
    message = str(info.value)
    assert "tm_missing -> tm_missing_dep -> tm_nowhere" in message
    assert "'tm_nowhere'" in message


def test_unknown_module(addons):
    with pytest.raises(DependencyError, match="Unknown addon 'tm_nothing'"):
        graph.install_order(["tm_nothing"], addons)


def test_cycle_with_chain(addons):
    with pytest.raises(DependencyError) as info:
        graph.install_order(["tm_cycle_a"], addons)
    assert "Circular dependency: tm_cycle_a -> tm_cycle_b -> tm_cycle_a" in str(info.value)
    with pytest.raises(DependencyError, match="tm_cycle_b -> tm_cycle_a -> tm_cycle_b"):
        graph.install_order(["tm_cycle_b"], addons)


def test_not_installable(tmp_path):
    folder = tmp_path / "tm_off"
    folder.mkdir()
    (folder / "__manifest__.py").write_text('{"name": "Off", "installable": False}')
    needs = tmp_path / "tm_needs_off"
    needs.mkdir()
    (needs / "__manifest__.py").write_text('{"name": "Needs off", "depends": ["tm_off"]}')
    found = graph.discover([graph.DEFAULT_ADDONS, tmp_path])
    with pytest.raises(DependencyError, match="'tm_off' is not installable"):
        graph.closure(["tm_off"], found)
    with pytest.raises(DependencyError, match="tm_needs_off -> tm_off"):
        graph.closure(["tm_needs_off"], found)


def test_auto_install_bridge_in_the_graph(addons):
    assert "tm_bridge" not in graph.with_auto_install({"base", "tm_library"}, addons)
    assert "tm_bridge" not in graph.with_auto_install({"base", "tm_other"}, addons)
    assert "tm_bridge" in graph.with_auto_install({"base", "tm_library", "tm_other"}, addons)


def test_dependents(addons):
    installed = ["base", "tm_library", "tm_library_ext", "tm_other", "tm_bridge"]
    assert graph.dependents("tm_library", installed, addons) == ["tm_bridge", "tm_library_ext"]
    assert graph.dependents("tm_library_ext", installed, addons) == []
    assert graph.dependents("base", installed, addons) == [
        "tm_bridge", "tm_library", "tm_library_ext", "tm_other"]


# -- on a database -------------------------------------------------------------------
@pytest.fixture(scope="module")
def database(base_urls):
    url = base_urls()
    db = open_database(url, V1)
    yield db
    db.close()


def test_installing_installs_dependencies_and_bridges(database):
    assert database.install(["tm_library_ext"]) == ["tm_library", "tm_library_ext"]
    states = module_states(database.engine)
    assert states["tm_library"] == ("installed", "1.0")
    assert states["tm_bridge"] == ("uninstalled", None)
    assert "other_id" not in columns(database.engine, "tm_book")

    # the bridge comes by itself once both its dependencies are installed
    assert database.install(["tm_other"]) == ["tm_other", "tm_bridge"]
    states = module_states(database.engine)
    assert states["tm_other"] == ("installed", "1.0")
    assert states["tm_bridge"] == ("installed", "1.0")
    assert "other_id" in columns(database.engine, "tm_book")
    with database.env() as env:
        assert env.ref("tm_bridge.other_bridged").name == "Bridged"
        assert "other_id" in env["tm.book"]._fields
    # once
    assert database.install(["tm_other", "tm_library"]) == []


def test_refused_graphs_change_nothing(database):
    before = snapshot(database.engine)
    with pytest.raises(DependencyError, match="tm_cycle_a -> tm_cycle_b -> tm_cycle_a"):
        database.install(["tm_cycle_a"])
    with pytest.raises(DependencyError, match="tm_missing -> tm_missing_dep -> tm_nowhere"):
        database.install(["tm_missing"])
    with pytest.raises(DependencyError, match="Unknown addon 'tm_nothing'"):
        database.install(["tm_nothing"])
    assert snapshot(database.engine) == before
