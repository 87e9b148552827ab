"""The command line, driven by subprocess on a temporary SQLite file and a
fresh PostgreSQL database: exit code 0 on success, otherwise non-zero with a
one-line reason."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from core.cli import main
from core.modules.manager import Database
from tests.fixtures import fresh_database_url
from tests.modules.common import ADDONS, ADDONS_V2, ROOT, columns, module_states, tables

PATHS = f"{ADDONS}"
PATHS_V2 = f"{ADDONS_V2},{ADDONS}"


def run(*args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TROIKA_")}
    result = subprocess.run([sys.executable, "server.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, input=stdin, timeout=120)
    if check:
        assert result.returncode == 0, f"{args}: {result.returncode}\n{result.stderr}"
    return result


def failed(result: subprocess.CompletedProcess) -> str:
    """The one-line reason of a failed run."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: "), result.stderr
    return last


def listing(url: str, paths: str = PATHS) -> dict[str, list[str]]:
    out = run("modules", "--db-url", url, "--addons-path", paths).stdout
    lines = out.strip().splitlines()
    assert lines[0].split()[:4] == ["module", "state", "installed", "available"]
    return {line.split()[0]: line.split()[1:] for line in lines[1:]}


@pytest.fixture
def url(backend, tmp_path):
    with fresh_database_url(backend, str(tmp_path)) as value:
        if backend == "postgresql":    # start from no database at all, as a user would
            from core.orm import sql
            sql.drop_database(value)
        yield value


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """``python server.py ARGS`` run in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cli_failed(capsys, *args: str) -> str:
    code, _, err = cli(capsys, *args)
    return failed(subprocess.CompletedProcess(args, code, "", err))


def test_scenario(url):
    """By subprocess: init, install, fill, install an extension, upgrade, uninstall."""
    common = ["--db-url", url, "--addons-path", PATHS]
    result = run("init", *common, "--admin-password", "s3cret")
    assert "Database" in result.stdout and "ready" in result.stdout
    assert "base: installing 1.0" in result.stderr
    assert "Installed: base" in result.stderr

    result = run("install", "tm_library", *common)
    assert result.stdout.strip() == "Installed: tm_library"
    assert "[1/1] tm_library: installing 1.0" in result.stderr
    assert "tm_library: loading data/tm_book_data.xml (2/2)" in result.stderr

    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:    # users fill the table
            for i in range(5):
                connection.execute(sa.text("INSERT INTO tm_book (name, pages) VALUES "
                                           "(:name, :pages)"), {"name": f"CLI {i}", "pages": i})
        result = run("install", "tm_library_ext", *common)
        assert result.stdout.strip() == "Installed: tm_library_ext"
        with engine.connect() as connection:
            kept = connection.execute(sa.text(
                "SELECT name, pages, language, copies FROM tm_book WHERE name LIKE 'CLI %' "
                "ORDER BY name")).all()
        assert [tuple(row) for row in kept] == [(f"CLI {i}", i, "en", 1) for i in range(5)]

        found = listing(url, PATHS_V2)
        assert found["tm_library"] == ["to", "upgrade", "1.0", "1.1", "base"]
        assert found["tm_library_ext"] == ["installed", "1.0", "1.0", "tm_library"]
        assert found["tm_other"][:2] == ["available", "-"]

        result = run("upgrade", "--db-url", url, "--addons-path", PATHS_V2)
        assert result.stdout.strip() == "Upgraded: tm_library, tm_library_ext"
        assert "migration 1.1/pre-rename.py" in result.stderr
        assert module_states(engine)["tm_library"] == ("installed", "1.1")
        assert {"isbn13", "subtitle", "edition"} <= columns(engine, "tm_book")

        result = run("uninstall", "tm_library_ext", "--db-url", url, "--addons-path", PATHS_V2)
        assert result.stdout.strip() == "Uninstalled: tm_library_ext"
        assert "tm_author" not in tables(engine)
        with engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT count(*) FROM tm_book WHERE name LIKE 'CLI %'")).scalar() == 5

        # shell: a prompt with env, reading stdin
        result = run("shell", "--db-url", url, "--addons-path", PATHS_V2,
                     stdin="print('books:', env['tm.book'].search_count([]))\n")
        assert "books: 8" in result.stdout   # dune, house rules, foundation, 5 of the users
    finally:
        engine.dispose()


def test_unknown_module_by_subprocess(tmp_path):
    url = f"sqlite:///{tmp_path}/unknown.db"
    reason = failed(run("install", "tm_nothing", "--db-url", url, "--addons-path", PATHS,
                        check=False))
    assert reason == "error: Unknown addon 'tm_nothing'"


def test_commands_in_process(url, capsys):
    """The same entry point, called in this process for speed."""
    common = ["--db-url", url, "--addons-path", PATHS]
    # before init: nothing installed, everything available
    code, out, _ = cli(capsys, "modules", *common)
    assert code == 0
    assert [line.split() for line in out.splitlines() if line.startswith("tm_library ")] == [
        ["tm_library", "available", "-", "1.0", "base"]]
    reason = cli_failed(capsys, "upgrade", *common)
    assert "No database at" in reason and "server.py init" in reason

    code, _, err = cli(capsys, "init", *common, "--modules", "tm_library")
    assert code == 0
    assert "Installed: base, tm_library" in err
    code, _, err = cli(capsys, "init", *common, "--modules", "tm_library")
    assert code == 0 and "Installed: nothing new" in err

    code, out, _ = cli(capsys, "install", "tm_library", *common)
    assert (code, out.strip()) == (0, "Installed: nothing new")
    code, out, _ = cli(capsys, "upgrade", "tm_library", *common)
    assert (code, out.strip()) == (0, "Upgraded: tm_library")
    code, out, _ = cli(capsys, "upgrade", *common)
    assert (code, out.strip()) == (0, "Upgraded: nothing to upgrade")

    engine = sa.create_engine(url)
    try:
        before = module_states(engine)
        assert before["tm_library"] == ("installed", "1.0")
        reason = cli_failed(capsys, "install", "tm_cycle_a", *common)
        assert "tm_cycle_a -> tm_cycle_b -> tm_cycle_a" in reason
        reason = cli_failed(capsys, "install", "tm_missing", *common)
        assert "tm_missing -> tm_missing_dep -> tm_nowhere" in reason
        reason = cli_failed(capsys, "install", "tm_bad_data", *common)
        assert f"{ADDONS / 'tm_bad_data' / 'data' / 'tm_bad.xml'}:8:" in reason
        reason = cli_failed(capsys, "install", "tm_evil", *common)
        assert "not allowed" in reason
        code, out, _ = cli(capsys, "install", "tm_library_ext", *common)
        assert (code, out.strip()) == (0, "Installed: tm_library_ext")
        reason = cli_failed(capsys, "uninstall", "tm_library", *common)
        assert "installed modules depend on it (tm_library_ext)" in reason
        before = module_states(engine)
        reason = cli_failed(capsys, "uninstall", "base", *common)
        assert "base module cannot be uninstalled" in reason
        reason = cli_failed(capsys, "uninstall", "tm_other", *common)
        assert "not installed: tm_other" in reason
        reason = cli_failed(capsys, "upgrade", "tm_other", *common)
        assert "not installed: tm_other" in reason
        reason = cli_failed(capsys, "install", "tm_library", "--db-url", url,
                            "--addons-path", "/nonexistent/troika")
        assert "not a folder" in reason
        assert module_states(engine) == before
        assert "tm_bad" not in tables(engine)
    finally:
        engine.dispose()


def test_bad_manifest_and_bad_url(capsys, tmp_path):
    reason = cli_failed(capsys, "modules", "--db-url", f"sqlite:///{tmp_path}/x.db",
                        "--addons-path", str(ADDONS.parent / "addons_bad"))
    assert "tm_bad_manifest" in reason and "'depends'" in reason
    reason = cli_failed(capsys, "install", "tm_library", "--db-url", "mysql://nowhere/x")
    assert "Unsupported database URL 'mysql://nowhere/x'" in reason
    reason = cli_failed(capsys, "modules", "--db-url", "not a url")
    assert "Invalid database URL" in reason


def test_help(capsys):
    assert "install" in run("--help").stdout
    for command in ("serve", "init", "install", "upgrade", "uninstall", "modules", "shell",
                    "scaffold"):
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("usage: server.py " + command)
        if command != "scaffold":
            assert "--db-url" in out and "--addons-path" in out and "--demo" in out
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_scaffold_creates_an_addon_that_installs(capsys, tmp_path):
    code, out, _ = cli(capsys, "scaffold", "tm_scaffolded", str(tmp_path))
    folder = tmp_path / "tm_scaffolded"
    assert (code, out.strip()) == (0, f"Created {folder}")
    for relative in ("__init__.py", "__manifest__.py", "models/tm_scaffolded_record.py",
                     "views/tm_scaffolded_record_views.xml", "security/ir.model.access.csv",
                     "tests/test_tm_scaffolded_record.py"):
        assert (folder / relative).is_file(), relative
    assert "already exists" in cli_failed(capsys, "scaffold", "tm_scaffolded", str(tmp_path))
    assert "Invalid addon name" in cli_failed(capsys, "scaffold", "Bad-Name", str(tmp_path))
    subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "--no-cache", str(folder)],
                   cwd=ROOT, check=True)

    url = f"sqlite:///{tmp_path}/scaffold.db"
    paths = f"{tmp_path},{ADDONS}"
    assert cli(capsys, "init", "--db-url", url)[0] == 0
    probe = Database(url)
    try:
        needed = {"ir.ui.view", "ir.actions.act_window", "ir.ui.menu", "ir.model.access"}
        if not needed <= set(probe.registry.models):
            pytest.skip(f"base does not have {sorted(needed - set(probe.registry.models))} yet")
    finally:
        probe.close()
    code, out, err = cli(capsys, "install", "tm_scaffolded", "--db-url", url,
                         "--addons-path", paths)
    assert (code, out.strip()) == (0, "Installed: tm_scaffolded"), err
    db = Database(url, paths)
    try:
        with db.env() as env:
            record = env["tm_scaffolded.record"].create({"name": "Made", "amount": 2})
            assert record.sequence == 10
            assert env.ref("tm_scaffolded.tm_scaffolded_record_action").res_model == \
                "tm_scaffolded.record"
    finally:
        db.close()


def test_scaffold_default_directory_is_relative(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli(capsys, "scaffold", "tm_here")[0] == 0
    assert (tmp_path / "addons" / "tm_here" / "__manifest__.py").is_file()
