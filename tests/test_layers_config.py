from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gisserver.cli import main
from gisserver.errors import ConfigError
from gisserver.layers import LAYER_IDS, load_layers
from gisserver.settings import PROJECT_ROOT


def test_bundled_layers_load_in_order():
    layers = load_layers(PROJECT_ROOT / "layers")
    assert layers.ids() == LAYER_IDS
    assert layers["cameras"].private_fields == ("stream_url",)
    assert "stream_url" not in layers["cameras"].public_fields
    assert layers["incidents"].temporal_start == "reported_at"
    assert layers["hazard_zones"].fields["severity"].enum == ("low", "moderate", "high", "extreme")


@pytest.fixture()
def broken_layers(tmp_path: Path) -> Path:
    target = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    text = (target / "shelters.yaml").read_text()
    text = text.replace("type: integer", "type: int", 1).replace(
        "keywords:", "colour: red\nkeywords:"
    )
    (target / "shelters.yaml").write_text(text)
    (target / "cameras.yaml").unlink()
    return target


def test_broken_layer_files_name_file_key_and_accepted_values(broken_layers: Path):
    with pytest.raises(ConfigError) as info:
        load_layers(broken_layers)
    msg = info.value.message
    assert "shelters.yaml: fields.capacity.type: 'int' is not a field type; accepted:" in msg
    assert "shelters.yaml: colour: unknown key" in msg
    assert "cameras.yaml: missing" in msg


def test_check_command_passes_on_bundled_config():
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "ok: 5 layers" in result.output


def test_check_command_fails_on_broken_config(broken_layers: Path, monkeypatch):
    monkeypatch.setenv("GISSERVER_LAYERS_DIR", str(broken_layers))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "fields.capacity.type" in result.output
    assert "problem(s) found" in result.output


def test_check_command_reports_style_reading_unknown_field(tmp_path: Path, monkeypatch):
    styles = tmp_path / "styles"
    shutil.copytree(PROJECT_ROOT / "styles", styles)
    doc = (styles / "shelters.json").read_text()
    (styles / "shelters.json").write_text(doc.replace('"status"', '"colour_code"', 1))
    monkeypatch.setenv("GISSERVER_STYLES_DIR", str(styles))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "shelters.json: reads attribute 'colour_code'" in result.output
