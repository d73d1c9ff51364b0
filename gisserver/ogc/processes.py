"""OGC API Processes for the analyses: one pygeoapi processor class, one process per analysis
of the registry (``gisserver.analyses.registry``), described from the same declaration as the
/api endpoint and the CLI command, and answered by the same function.

PROCESSES maps each process id to its pygeoapi processor definition; the pygeoapi configuration
generated in gisserver.ogc publishes every entry.

Execution: pygeoapi 0.21's process manager runs a synchronous process inside ``except Exception``
and answers every failure 400 "Error executing process: ..." (a missing feature, a database
outage, all alike), and it POSTs the results to any ``subscriber`` URL a request names. So
``POST /ogc/processes/{id}/execution`` of our analyses is answered here (``install``): the answer
itself (as pygeoapi's synchronous raw answer), errors with their own status (400, 404, 503) as
OGC exception documents. For every process (ours, and any other, which pygeoapi then runs): a
JSON body is required (a cross-site form or text/plain POST cannot start a run) and
``subscriber`` is refused: the server calls no URL a client chose.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, has_app_context, request
from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from gisserver.analyses.registry import ANALYSES, Analysis, get
from gisserver.context import state
from gisserver.errors import (
    GisServerError,
    InvalidParameter,
    UnsupportedMediaType,
    exception_document,
)
from gisserver.layers import LayerRegistry

PROCESSOR = "gisserver.ogc.processes.AnalysisProcessor"
PROCESSES: dict[str, Any] = {
    analysis.id: {"name": PROCESSOR, "analysis": analysis.id} for analysis in ANALYSES
}


def process_description(analysis: Analysis, layers: LayerRegistry | None) -> dict[str, Any]:
    """The OGC API - Processes description of an analysis (with the layer files' enums)."""
    return {
        "version": "1.0.0",
        "id": analysis.id,
        "title": {"en": analysis.title},
        "description": {"en": analysis.description},
        "jobControlOptions": ["sync-execute"],
        "outputTransmission": ["value"],
        "keywords": list(analysis.keywords),
        "links": [],
        "inputs": {
            item.name: {
                "title": item.title,
                "description": item.description,
                "schema": item.published_schema(layers),
                "minOccurs": 1 if item.required else 0,
                "maxOccurs": 1,
            }
            for item in analysis.inputs
        },
        "outputs": {
            "result": {
                "title": analysis.title,
                "description": f"the answer, as {analysis.http_path} gives it",
                "schema": {**analysis.output, "contentMediaType": analysis.media_type},
            }
        },
        "example": {"inputs": dict(analysis.example)},
    }


class AnalysisProcessor(BaseProcessor):
    """Runs one analysis (``processor_def["analysis"]``) in the Flask app pygeoapi is mounted in."""

    def __init__(self, processor_def: dict[str, Any]) -> None:
        self.analysis = get(processor_def["analysis"])
        layers = state().layers if has_app_context() else None
        super().__init__(processor_def, process_description(self.analysis, layers))

    def execute(self, data: dict[str, Any], outputs: dict[str, Any] | None = None) -> Any:
        st = state()
        try:
            answer = self.analysis.run(
                st.database(),
                data if data is not None else {},
                layers=st.layers,
                settings=st.settings,
            )
        except GisServerError as exc:
            error = ProcessorExecuteError(user_msg=exc.message)
            error.http_status_code = exc.status
            error.ogc_exception_code = exc.code
            raise error from exc
        return "application/json", answer

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}> {self.analysis.id}"


# Members of an execute request (OGC API - Processes 1.0, execute.yaml) other than the inputs.
EXECUTE_MEMBERS = ("inputs", "outputs", "response", "subscriber")


def execution_inputs(body: Any) -> dict[str, Any]:
    """The inputs of an execute request; InvalidParameter for anything we will not run."""
    if not isinstance(body, dict):
        raise InvalidParameter(
            "body", "is not a JSON object", '{"inputs": {...}} (Content-Type: application/json)'
        )
    unknown = sorted(set(body) - set(EXECUTE_MEMBERS))
    if unknown:
        raise InvalidParameter(unknown[0], "is not a member of an execute request", "inputs")
    if body.get("subscriber") is not None:
        raise InvalidParameter(
            "subscriber",
            "callbacks are not supported: the server calls no URL named in a request",
            "no subscriber; the answer comes back in the response",
        )
    inputs = body.get("inputs", {})
    if not isinstance(inputs, dict):
        raise InvalidParameter("inputs", "is not a JSON object", "an object of input values")
    return inputs


def install(app: Flask, blueprint: str) -> None:
    """Answer the execution of our analyses ourselves (see the module docstring)."""
    endpoint = f"{blueprint}.execute_process_jobs"
    pygeoapi_execute = app.view_functions[endpoint]

    def execute(process_id: str) -> Any:
        try:
            if request.mimetype != "application/json":
                raise UnsupportedMediaType(
                    "Content-Type",
                    f"{request.mimetype or 'none'} is not accepted",
                    "application/json",
                )
            # checked for every process, ours or not: no callback to a URL a client chose
            inputs = execution_inputs(request.get_json(silent=True))
            try:
                analysis = get(process_id)
            except KeyError:
                return pygeoapi_execute(process_id=process_id)
            st = state()
            text = analysis.run_text(st.database(), inputs, layers=st.layers, settings=st.settings)
        except GisServerError as exc:
            return Response(
                exception_document(exc.code, exc.message),
                status=exc.status,
                mimetype="application/json",
            )
        return Response(text, mimetype=analysis.media_type)

    app.view_functions[endpoint] = execute
