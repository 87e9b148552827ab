"""Manifests: read as literals, checked key by key, errors name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.modules.graph import DEFAULT_ADDONS, discover
from core.modules.manifest import ManifestError, read_manifest, version_tuple
from tests.modules.common import ADDONS, ADDONS_BAD, ADDONS_V2


def test_test_library_manifest():
    manifest = read_manifest(ADDONS / "tm_library")
    assert manifest.name == "tm_library"
    assert manifest.title == "Test Library"
    assert manifest.version == "1.0"
    assert manifest.version_info == (1, 0)
    assert manifest.depends == ["base"]
    assert manifest.data == ["data/tm.tag.csv", "data/tm_book_data.xml"]
    assert manifest.demo == ["demo/tm_book_demo.xml"]
    assert manifest.auto_install is False
    assert manifest.auto_install_depends is None
    assert manifest.installable is True
    assert manifest.path == ADDONS / "tm_library"


def test_second_version_manifest():
    assert read_manifest(ADDONS_V2 / "tm_library").version_info == (1, 1)


def test_bridge_manifest():
    manifest = read_manifest(ADDONS / "tm_bridge")
    assert manifest.auto_install is True
    assert manifest.auto_install_depends == {"tm_library", "tm_other"}


@pytest.mark.parametrize("folder", sorted(p for p in ADDONS.iterdir() if p.is_dir()
                                          and (p / "__manifest__.py").is_file()),
                         ids=lambda p: p.name)
def test_every_test_addon_manifest_is_valid(folder):
    manifest = read_manifest(folder)
    for relative in manifest.data + manifest.demo:
        assert (folder / relative).is_file()


@pytest.mark.parametrize("folder", sorted(p for p in DEFAULT_ADDONS.iterdir() if p.is_dir()
                                          and (p / "__manifest__.py").is_file()),
                         ids=lambda p: p.name)
def test_every_repo_addon_manifest_is_valid(folder):
    """The generic check every addon gets for free: a valid manifest."""
    manifest = read_manifest(folder)
    assert manifest.title
    assert (folder / "__init__.py").is_file()
    for relative in manifest.data + manifest.demo:
        assert (folder / relative).is_file()


def test_unknown_keys_are_kept():
    folder = ADDONS / "tm_library"
    manifest = read_manifest(folder)
    assert manifest.extra == {}


def write_addon(root: Path, source: str, name: str = "tm_probe", files=()) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "__manifest__.py").write_text(source)
    for relative in files:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text("<troika/>\n")
    return folder


def test_extra_keys_and_defaults(tmp_path):
    folder = write_addon(tmp_path, '{"name": "Probe", "depends": ["base"], "images": ["x.png"],'
                                   ' "maintainers": ["someone"]}')
    manifest = read_manifest(folder)
    assert manifest.extra == {"images": ["x.png"], "maintainers": ["someone"]}
    assert manifest.version == "1.0"
    assert manifest.data == [] and manifest.demo == []
    assert manifest.license == "LGPL-3"


def test_external_dependencies(tmp_path):
    folder = write_addon(tmp_path, '{"name": "Probe", "depends": ["base"], '
                                   '"external_dependencies": {"python": ["sqlalchemy", '
                                   '"troika_no_such_package", "no_such_parent.child"]}}')
    assert read_manifest(folder).missing_python_packages() == [
        "troika_no_such_package", "no_such_parent.child"]


BAD = [
    # (manifest source, extra files, the key the message must name, other text it must hold)
    ('{"version": "1.0"}', (), "'name'", "required"),
    ('{"name": ""}', (), "'name'", "required"),
    ('{"name": 3}', (), "'name'", "required"),
    ('{"name": "P", "version": "one"}', (), "'version'", "dotted version"),
    ('{"name": "P", "version": 1.0}', (), "'version'", "string"),
    ('{"name": "P", "depends": "base"}', (), "'depends'", "list of strings"),
    ('{"name": "P", "depends": ["base", 3]}', (), "'depends'", "list of strings"),
    ('{"name": "P", "depends": ["tm_probe"]}', (), "'depends'", "itself"),
    ('{"name": "P", "data": ["data/missing.xml"]}', (), "'data'", "data/missing.xml"),
    ('{"name": "P", "data": ["models/x.py"]}', ("models/x.py",), "'data'", ".xml or .csv"),
    ('{"name": "P", "demo": ["demo/gone.xml"]}', (), "'demo'", "demo/gone.xml"),
    ('{"name": "P", "installable": "yes"}', (), "'installable'", "True or False"),
    ('{"name": "P", "application": 1}', (), "'application'", "True or False"),
    ('{"name": "P", "auto_install": "yes"}', (), "'auto_install'", "list of module names"),
    ('{"name": "P", "depends": ["base"], "auto_install": ["sale"]}', (), "'auto_install'",
     "sale"),
    ('{"name": "P", "sequence": "1"}', (), "'sequence'", "integer"),
    ('{"name": "P", "sequence": True}', (), "'sequence'", "integer"),
    ('{"name": "P", "external_dependencies": ["lxml"]}', (), "'external_dependencies'",
     "python"),
    ('{"name": "P", "license": None}', (), "'license'", "string"),
]


@pytest.mark.parametrize(("source", "files", "key", "text"), BAD,
                         ids=[f"{i}-{case[2]}" for i, case in enumerate(BAD)])
def test_bad_manifest_names_file_and_key(tmp_path, source, files, key, text):
    folder = write_addon(tmp_path, source, files=files)
    with pytest.raises(ManifestError) as info:
        read_manifest(folder)
    message = str(info.value)
    assert str(folder / "__manifest__.py") in message
    assert key in message
    assert text in message


@pytest.mark.parametrize("source", [
    '["name", "P"]',
    '"just a string"',
])
def test_manifest_must_be_a_dict(tmp_path, source):
    folder = write_addon(tmp_path, source)
    with pytest.raises(ManifestError, match="dict literal"):
        read_manifest(folder)


def test_syntax_error_names_the_line(tmp_path):
    folder = write_addon(tmp_path, '{\n    "name": "P",\n    "depends": ["base"\n}\n')
    with pytest.raises(ManifestError) as info:
        read_manifest(folder)
    assert f"{folder / '__manifest__.py'}:" in str(info.value)
    assert "not a dict literal" in str(info.value)


def test_manifest_is_never_executed(tmp_path, capfd):
    folder = write_addon(tmp_path, '{"name": __import__("os").system("echo pwned")}')
    with pytest.raises(ManifestError, match="not a dict literal"):
        read_manifest(folder)
    folder = write_addon(tmp_path, '{"name": "P", "depends": ["base"] + '
                                   '[__import__("os").system("echo pwned")]}', name="tm_probe2")
    with pytest.raises(ManifestError, match="not a dict literal"):
        read_manifest(folder)
    assert "pwned" not in capfd.readouterr().out


def test_missing_manifest_file(tmp_path):
    folder = tmp_path / "tm_empty"
    folder.mkdir()
    with pytest.raises(ManifestError, match="cannot be read"):
        read_manifest(folder)


def test_bad_folder_name(tmp_path):
    folder = write_addon(tmp_path, '{"name": "P"}', name="Bad-Name")
    with pytest.raises(ManifestError, match="Bad-Name"):
        read_manifest(folder)


def test_discovery_reports_the_bad_manifest():
    with pytest.raises(ManifestError) as info:
        discover([ADDONS_BAD])
    message = str(info.value)
    assert str(ADDONS_BAD / "tm_bad_manifest" / "__manifest__.py") in message
    assert "'depends'" in message


def test_version_tuple():
    assert version_tuple("17.0.1.2") == (17, 0, 1, 2)
    assert version_tuple("1.10") > version_tuple("1.9")
