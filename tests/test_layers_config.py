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
    assert "ok: 6 layers" in result.output


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


def test_bundled_derived_fields_and_tile_priorities():
    layers = load_layers(PROJECT_ROOT / "layers")
    free = layers["shelters"].derived["free_capacity"]
    assert (free.type, free.title, free.expression.columns) == (
        "integer",
        "Free capacity",
        ("capacity", "occupancy"),
    )
    assert free.sql("t") == '(t."capacity" - t."occupancy")'
    priority = layers["shelters"].tile_priority
    assert [(term.field, term.direction) for term in priority] == [
        (None, "ASC"),
        ("free_capacity", "DESC NULLS LAST"),
    ]
    assert priority[1].sql("s") == '(s."capacity" - s."occupancy")'
    incidents = layers["incidents"].tile_priority
    assert [t.sql("t") for t in incidents] == [
        """(t."status" IN ('resolved', 'closed', 'cancelled'))""",
        """(severity_rank(t."severity"))""",
        't."reported_at"',
    ]
    assert all(layer.tile_priority for layer in layers)
    assert not any(layer.derived for layer in layers if layer.id != "shelters")


def _with_shelters_text(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    path = target / "shelters.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return target


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "sql: capacity - occupancy",
            "sql: capacity - beds",
            "derived.free_capacity.sql: 'beds' is not a column of shelters; "
            "accepted: id, geom, name,",
        ),
        (
            "sql: capacity - occupancy",
            "sql: t.capacity - occupancy",
            "derived.free_capacity.sql: '.' is not accepted (at character 2); accepted: one "
            "expression over the columns of shelters, unqualified (capacity, not t.capacity)",
        ),
        (
            "sql: capacity - occupancy",
            "sql: capacity; DROP TABLE shelters",
            "derived.free_capacity.sql: ';' is not accepted (at character 9)",
        ),
        (
            "sql: capacity - occupancy",
            "sql: capacity -- occupancy",
            "derived.free_capacity.sql: '--' is not accepted",
        ),
        (
            "sql: capacity - occupancy",
            "sql: (SELECT max(capacity) FROM shelters)",
            "derived.free_capacity.sql: 'SELECT' is not a column of shelters",
        ),
        (
            "    type: integer\n    title: Free capacity",
            "    type: int\n    title: Free capacity",
            "derived.free_capacity.type: 'int' is not a field type; accepted: string, integer,",
        ),
        (
            "free_capacity:\n    sql:",
            "capacity:\n    sql:",
            "derived.capacity: 'capacity' is already a field of shelters",
        ),
        (
            "    sql: capacity - occupancy\n",
            "    sql: capacity - occupancy\n    unit: people\n",
            "derived.free_capacity.unit: unknown key; accepted: description, sql, title, type",
        ),
        (
            "      order: desc\n      nulls: last",
            "      order: down\n      nulls: last",
            "tiles.priority[1].order: 'down' is not accepted; accepted: asc, desc",
        ),
        (
            "    - field: free_capacity",
            "    - field: spare_beds",
            "tiles.priority[1].field: 'spare_beds' is not a public field of shelters; accepted:",
        ),
        (
            "    - field: free_capacity",
            "    - field: free_capacity\n      expression: capacity",
            "tiles.priority[1]: needs one of 'field' (a field or derived field) or 'expression'",
        ),
        (
            "  priority:\n",
            "  limit: 10\n  priority:\n",
            "tiles.limit: unknown key; accepted: priority",
        ),
    ],
)
def test_derived_and_tiles_problems_name_file_key_and_accepted(
    tmp_path: Path, old: str, new: str, message: str
):
    with pytest.raises(ConfigError) as info:
        load_layers(_with_shelters_text(tmp_path, old, new))
    assert f"shelters.yaml: {message}" in info.value.message


def test_derived_sql_may_not_read_a_private_field(tmp_path: Path):
    target = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    with (target / "cameras.yaml").open("a") as f:
        f.write("derived:\n  has_stream:\n    sql: stream_url IS NOT NULL\n    type: boolean\n")
    with pytest.raises(ConfigError) as info:
        load_layers(target)
    assert (
        "cameras.yaml: derived.has_stream.sql: 'stream_url' is private (public: false); "
        "accepted: id, geom, name, status," in info.value.message
    )


def test_derived_sql_accepts_functions_casts_keywords_and_literals(tmp_path: Path):
    target = _with_shelters_text(
        tmp_path,
        "sql: capacity - occupancy",
        "sql: \"CASE WHEN status = 'closed' THEN NULL "
        'ELSE greatest(coalesce(capacity, 0) - occupancy, 0)::integer END"',
    )
    free = load_layers(target)["shelters"].derived["free_capacity"]
    assert free.expression.columns == ("status", "capacity", "occupancy")
    assert free.sql("t") == (
        """(CASE WHEN t."status" = 'closed' THEN NULL """
        """ELSE greatest(coalesce(t."capacity", 0) - t."occupancy", 0)::integer END)"""
    )


def test_bundled_editing_roles():
    layers = load_layers(PROJECT_ROOT / "layers")
    editing = {layer.id: layer.editing for layer in layers}
    assert all(e is not None and e.delete == "admin" for e in editing.values())
    assert editing["incidents"].roles == {"operator": None, "analyst": None}
    assert editing["shelters"].roles == {
        "analyst": None,
        "operator": frozenset({"status", "occupancy"}),
    }
    assert editing["shelters"].at_most == {"occupancy": "capacity"}
    assert editing["stockpiles"].roles == {"logistics": None, "analyst": None}
    assert editing["stockpiles"].read_only == ("items",)
    assert editing["hazard_zones"].roles == editing["cameras"].roles == {"analyst": None}
    assert editing["cameras"].private == "analyst"
    # every layer: analysts may change everything
    assert all(e.roles["analyst"] is None for e in editing.values())


def test_layer_roles_are_the_keys_roles():
    from gisserver.keys import ROLES as KEY_ROLES
    from gisserver.layers import ROLES

    assert ROLES == KEY_ROLES


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    operator: [status, occupancy]",
            "    duty: all",
            "editing.roles.duty: 'duty' is not a role;"
            " accepted: viewer, operator, logistics, analyst, admin",
        ),
        (
            "[status, occupancy]",
            "[status, colour]",
            "editing.roles.operator: 'colour' is not a field"
            " of shelters; accepted: name, address, city, capacity, occupancy, status,",
        ),
        (
            "[status, occupancy]",
            "some",
            "editing.roles.operator: 'some' is not accepted; accepted: all, or a list of",
        ),
        ("  delete: admin", "  delete: everyone", "editing.delete: 'everyone' is not a role"),
        (
            "    occupancy: capacity",
            "    occupancy: name",
            "editing.at_most.occupancy: 'name' is not"
            " a number field of shelters; accepted: capacity, occupancy",
        ),
        (
            "  delete: admin",
            "  delete: admin\n  read_only: [name]",
            "editing.read_only: 'name' is required: a create must be able to set it",
        ),
        (
            "  delete: admin",
            "  delete: admin\n  owner: me",
            "editing.owner: unknown key; accepted: at_most, delete, private, read_only, roles",
        ),
    ],
)
def test_editing_problems_name_file_key_and_accepted(
    tmp_path: Path, old: str, new: str, message: str
):
    with pytest.raises(ConfigError) as info:
        load_layers(_with_shelters_text(tmp_path, old, new))
    assert f"shelters.yaml: {message}" in info.value.message


def test_a_layer_without_editing_is_read_only(tmp_path: Path):
    target = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    path = target / "cameras.yaml"
    path.write_text(path.read_text().partition("\nediting:")[0] + "\n")
    assert load_layers(target)["cameras"].editing is None
