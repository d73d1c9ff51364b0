"""The ``gisserver`` command loads a command's module, and its heavy imports, only when needed.

Each check runs in a fresh interpreter, since this pytest process has imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click

from gisserver.cluster import free_port

GISSERVER = [sys.executable, "-m", "gisserver"]

# What the ETL must not pay for at start-up, and what the help texts must not pay for either.
SERVER_ONLY = ("flask", "pygeoapi", "werkzeug", "gunicorn", "sqlalchemy", "gisserver.analyses")
LOADER = ("gisserver.etl", "psycopg", "pydantic", "numpy", "shapely", "pyogrio", "pyproj")

# Runs the CLI in-process and prints which of the packages named in argv[1] got imported.
PROBE = """
import json, sys
from gisserver.cli import main

watched, args = json.loads(sys.argv[1]), sys.argv[2:]
try:
    main(args, prog_name="gisserver")
    code = 0
except SystemExit as exc:
    code = exc.code
loaded = sorted({w for w in watched for m in sys.modules if m == w or m.startswith(w + ".")})
print(json.dumps({"code": code, "loaded": loaded}))
"""


def _probe(args: list[str], watched: tuple[str, ...], env: dict[str, str] | None = None):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(watched), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    *output, last = proc.stdout.splitlines()
    report = json.loads(last)
    return report["code"], set(report["loaded"]), "\n".join(output), proc.stderr


def test_help_lists_every_command_group_with_its_help():
    from gisserver.cli import analyse, audit, check, db, etl, keys, serve, tiles, worker

    proc = subprocess.run([*GISSERVER, "--help"], capture_output=True, text=True, check=True)
    listed = proc.stdout.split("Commands:\n", 1)[1].splitlines()
    expected = [
        analyse.analyse,
        audit.audit,
        check.check,
        db.db,
        etl.etl,
        keys.keys,
        serve.serve,
        tiles.tiles,
        worker.worker,
    ]
    assert [line.split()[0] for line in listed] == [c.name for c in expected]
    for line, command in zip(listed, expected, strict=True):
        assert isinstance(command, click.Command)
        # click shortens the help to fit the terminal: compare the words it kept
        shown = line.split(None, 1)[1].removesuffix("...")
        assert command.help and command.help.startswith(shown), (line, command.help)


def test_help_imports_neither_the_server_nor_the_loader():
    for args in (["--help"], ["etl", "--help"], ["etl", "load", "--help"], ["--version"]):
        code, loaded, output, _ = _probe(args, SERVER_ONLY + LOADER)
        assert code == 0
        assert output.startswith(("Usage: gisserver", "gisserver, version"))
        assert loaded == set(), args


def test_etl_load_imports_the_loader_but_not_the_server(tmp_path: Path):
    port = free_port()  # nothing listens there: the load stops at connecting, after its imports
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://u:p@127.0.0.1:{port}/db",
        "GISSERVER_DATA_DIR": str(tmp_path),
    }
    args = ["etl", "load", "shelters", str(tmp_path / "shelters.csv")]
    code, loaded, _, stderr = _probe(args, SERVER_ONLY + LOADER, env)
    # the error handling of the group is unchanged: one line, exit status 1
    assert code == 1
    assert stderr.startswith("gisserver: error:") and len(stderr.strip().splitlines()) == 1
    assert f"127.0.0.1:{port}" in stderr
    assert "gisserver.etl" in loaded and "psycopg" in loaded  # it did reach the load
    assert loaded.isdisjoint(SERVER_ONLY)


def test_the_layer_choices_of_etl_load_are_the_manifest_layers():
    from gisserver.cli.etl import load
    from gisserver.etl.manifest import LAYERS

    layer = next(p for p in load.params if p.name == "layer")
    assert isinstance(layer.type, click.Choice)
    assert tuple(layer.type.choices) == LAYERS
