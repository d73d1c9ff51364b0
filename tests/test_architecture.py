"""The package keeps the shape docs/architecture.md describes: no import circle, imports that
point down the layers (function-level imports included), no HTTP in the analyses, the ETL or the
database layer, no module over 500 lines, and the drawing in the docs is the code's own."""

from __future__ import annotations

import re
import subprocess
import sys

from gisserver.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "architecture"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_layers_circles_and_module_sizes():
    result = _run("--check")
    assert result.returncode == 0, result.stdout


def test_the_check_finds_what_it_checks(tmp_path, monkeypatch):
    """The rules fire: an upward import, a circle and a long module, in a throwaway package."""
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader("architecture", str(SCRIPT))
    spec = importlib.util.spec_from_loader("architecture", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    package = tmp_path / "gisserver"
    (package / "analyses").mkdir(parents=True)
    (package / "etl").mkdir()
    (package / "__init__.py").write_text("")
    (package / "analyses" / "__init__.py").write_text("")
    (package / "etl" / "__init__.py").write_text("")
    # analyses -> cli (upward), analyses -> etl (forbidden), etl <-> analyses (circle)
    (package / "analyses" / "a.py").write_text(
        "def f():\n    import gisserver.cli\n    from gisserver.etl import b\n"
    )
    (package / "etl" / "b.py").write_text("from gisserver.analyses import a\n" + "x = 1\n" * 501)
    (package / "cli.py").write_text("import flask\n")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "PACKAGE", package)
    found = "\n".join(module.problems())
    assert "import circle: gisserver.analyses.a -> gisserver.etl.b" in found
    assert "gisserver.analyses.a (layer 2) imports gisserver.cli (layer 7)" in found
    assert "gisserver.analyses.a imports gisserver.etl.b: gisserver.analyses must not" in found
    assert "gisserver/etl/b.py has 502 lines" in found


def test_the_drawing_in_the_docs_is_the_codes():
    drawing = _run().stdout
    doc = (PROJECT_ROOT / "docs" / "architecture.md").read_text()
    blocks = re.findall(r"```mermaid\n(.*?)```", doc, re.S)
    assert blocks, "docs/architecture.md has no mermaid drawing"
    assert blocks[0] == drawing, "run scripts/architecture and paste its output into the docs"
