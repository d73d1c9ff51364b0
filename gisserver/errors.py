"""One error family for everything a user can act on, and the one document that carries it.

Each error carries the HTTP status it maps to; the CLI prints its message on one line and exits
non-zero, the web app answers it with ``exception_document`` (the OGC API exception shape, used
by /api, /ogc, tiles and styles alike). Only unexpected errors (5xx) log a traceback.
"""

from __future__ import annotations

import json
from typing import Any


class GisServerError(Exception):
    """Base class: a problem the user can act on, with a message that says how."""

    status: int = 500
    code: str = "ServerError"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class InvalidParameter(GisServerError, ValueError):
    """A request parameter or CLI argument is malformed or out of range (HTTP 400)."""

    status = 400
    code = "InvalidParameterValue"

    def __init__(self, parameter: str, problem: str, accepted: str | None = None) -> None:
        text = f"{parameter}: {problem}"
        if accepted:
            text += f"; accepted: {accepted}"
        super().__init__(text)
        self.parameter = parameter


class NotOnRoadNetwork(InvalidParameter):
    """A point too far from every routable road, or no road network loaded (HTTP 422)."""

    status = 422
    code = "NotOnRoadNetwork"


class UnsupportedMediaType(InvalidParameter):
    """A body in a media type the endpoint does not take (HTTP 415)."""

    status = 415
    code = "UnsupportedMediaType"


class Unauthorized(GisServerError, PermissionError):
    """No credentials, or credentials that are not valid (HTTP 401)."""

    status = 401
    code = "Unauthorized"


class Forbidden(GisServerError, PermissionError):
    """Valid credentials whose role does not allow this (HTTP 403)."""

    status = 403
    code = "Forbidden"


class NotFound(GisServerError, LookupError):
    """The named thing (collection, feature, source, ...) does not exist (HTTP 404)."""

    status = 404
    code = "NotFound"


class Conflict(GisServerError):
    """The request is well-formed but the data's state refuses it: stock would go negative, a
    shelter over its capacity (HTTP 409)."""

    status = 409
    code = "Conflict"


class InvalidValue(InvalidParameter):
    """A body that parses but holds a value the data does not take: a field of the wrong type
    or outside its enumeration, an unknown or private property, a geometry of the wrong type
    or out of range (HTTP 422). The message names the field and what is accepted."""

    status = 422
    code = "InvalidValue"


class PreconditionFailed(GisServerError):
    """If-Match names a version that is no longer the current one (HTTP 412)."""

    status = 412
    code = "PreconditionFailed"


class PreconditionRequired(GisServerError):
    """This server requires If-Match on changes and the request has none (HTTP 428)."""

    status = 428
    code = "PreconditionRequired"


class ConfigError(GisServerError, ValueError):
    """layers/, styles/ or settings are wrong: names the file, the key and what is wrong."""

    status = 500
    code = "ConfigError"


class DatabaseUnavailable(GisServerError, ConnectionError):
    """The database cannot be reached or is not ready (HTTP 503)."""

    status = 503
    code = "ServiceUnavailable"


class ClusterError(GisServerError, RuntimeError):
    """The private PostgreSQL cluster could not be created, started or stopped."""

    status = 500
    code = "ClusterError"


def exception_document(code: str, description: str, **extra: Any) -> str:
    """The JSON text of an OGC API exception: ``{"code", "type", "description"}``.

    ``type`` repeats ``code`` because pygeoapi's own documents carry both and clients of /ogc
    read either; /api answers the same shape so that one parser reads every error.
    """
    return json.dumps(
        {"code": code, "type": code, "description": description, **extra},
        ensure_ascii=False,
        separators=(",", ":"),
    )
