"""Each analysis is declared once (gisserver.analyses.registry) and published three ways: the
/api route with its OpenAPI, the OGC process and the CLI command. These tests read the three
published forms back and ask the three doors the same question."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from gisserver.analyses.registry import ANALYSES, Analysis
from gisserver.cli import main
from gisserver.cli.analyse import command

VOLATILE = ("at",)  # "now" at the time of each answer


def _stable(answer: dict[str, Any]) -> dict[str, Any]:
    answer = {k: v for k, v in answer.items() if k not in VOLATILE}
    if isinstance(answer.get("properties"), dict):  # a route: "at" is when it was asked
        answer["properties"] = {k: v for k, v in answer["properties"].items() if k != "at"}
    if isinstance(answer.get("population_in_hazard_zones"), dict):
        answer["population_in_hazard_zones"].pop("at", None)
    return answer


@pytest.mark.parametrize("analysis", ANALYSES, ids=lambda a: a.id)
def test_the_three_descriptions_come_from_the_declaration(
    client: FlaskClient, layers, analysis: Analysis
):
    names = [item.name for item in analysis.inputs]
    document = client.get("/api/openapi.json").json
    operation = document["paths"][analysis.http_path][analysis.http_method.lower()]
    assert operation["summary"] == analysis.title
    if analysis.http_method == "GET":
        published = {p["name"]: p for p in operation.get("parameters", [])}  # road-network: none
        assert list(published) == names
        assert {n for n, p in published.items() if p["required"]} == set(analysis.required)
    else:
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        assert list(schema["properties"]) == names
        assert schema["additionalProperties"] is False

    process = client.get(f"/ogc/processes/{analysis.id}?f=json").json
    assert process["title"] == analysis.title and process["description"] == analysis.description
    assert list(process["inputs"]) == names
    for item in analysis.inputs:
        assert process["inputs"][item.name]["minOccurs"] == (1 if item.required else 0)
        expected = item.published_schema(layers)
        assert process["inputs"][item.name]["schema"] == expected

    cli = command(analysis)
    assert [p.name for p in cli.params] == names
    assert {p.name for p in cli.params if p.required} == set(analysis.required)


@pytest.mark.parametrize("analysis", ANALYSES, ids=lambda a: a.id)
def test_the_three_doors_give_the_same_answer(
    client: FlaskClient,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    analysis: Analysis,
    request: pytest.FixtureRequest,
):
    if analysis.id in ("route", "isochrone"):
        request.getfixturevalue("road_network")  # their examples are Cambridge streets
    example = dict(analysis.example)
    path = analysis.http_path
    for name in analysis.path_inputs:  # /api/incidents/{incident_id}/recommend
        path = path.replace("{" + name + "}", str(example[name]))
    if analysis.http_method == "GET":
        query = {
            k: ",".join(map(str, v)) if isinstance(v, list) else v
            for k, v in example.items()
            if k not in analysis.path_inputs
        }
        api = client.get(path, query_string=query)
    else:
        api = client.post(path, json=example)
    process = client.post(
        f"/ogc/processes/{analysis.id}/execution",
        data=json.dumps({"inputs": example}),
        content_type="application/json",
    )
    monkeypatch.setenv("DATABASE_URL", database_url)
    args = ["analyse", analysis.id]
    for name, value in example.items():
        flag = analysis.input(name).flag
        if isinstance(value, bool):
            args += [flag] if value else []
        elif isinstance(value, list):
            args += [flag, ",".join(map(str, value))]
        else:
            args += [flag, str(value)]
    cli = CliRunner().invoke(main, args)
    if api.status_code == 200:
        assert process.status_code == 200, process.data
        assert cli.exit_code == 0, cli.output
        assert _stable(api.json) == _stable(json.loads(process.data))
        assert _stable(api.json) == _stable(json.loads(cli.stdout))
    else:  # e.g. the example's hazard zone id is not in the test database: a 404 everywhere
        assert api.status_code == process.status_code == 404, (api.json, process.data)
        assert cli.exit_code == 1
        assert api.json["description"] in cli.stderr
