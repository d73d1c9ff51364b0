"""/ogc/conformance: what this server really conforms to.

pygeoapi 0.21 declares Features Part 4 (create/replace/delete) for every feature provider, omits
Part 3 filtering and CQL2 (it parses ECQL itself) and extends a module-level list on every
request. Our view lists the classes our provider implements, computed without side effects:
Part 4's create/replace/delete, update (PATCH) and features where a layer declares ``editing:``
(gisserver.ogc.transactions).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

# OGC API - Features - Part 4: Create, Replace, Update and Delete.
WRITES = [
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
]
FILTERING = [
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
]


def conformance_classes(config: dict[str, Any], editable: bool) -> list[str]:
    """The classes of a configuration; Part 4's when a collection is ``editable``."""
    from pygeoapi.api import CONFORMANCE_CLASSES, all_apis

    apis = all_apis()
    classes = set(CONFORMANCE_CLASSES)
    for resource in config["resources"].values():
        if resource["type"] == "process":
            classes.update(apis["process"].CONFORMANCE_CLASSES)
            continue
        for provider in resource.get("providers", []):
            if provider["type"] in apis:
                classes.update(apis[provider["type"]].CONFORMANCE_CLASSES)
            if provider["type"] == "feature":
                classes.update(apis["itemtypes"].CONFORMANCE_CLASSES_FEATURES)
                classes.update(FILTERING)
    classes -= set(WRITES)
    if editable:
        classes.update(WRITES)
    return sorted(classes)


def conformance(api: Any, request: Any) -> tuple[dict[str, str], int, str]:
    """A pygeoapi API function (called through its execute_from_flask)."""
    from pygeoapi.api import F_HTML
    from pygeoapi.util import render_j2_template, to_json

    from gisserver.context import state

    editable = any(layer.editing is not None for layer in state().layers)
    document = {"conformsTo": conformance_classes(api.config, editable)}
    headers = request.get_response_headers(**api.api_headers)
    if request.format == F_HTML:
        content = render_j2_template(
            api.tpl_config,
            api.config["server"]["templates"],
            "conformance.html",
            document,
            request.locale,
        )
        return headers, HTTPStatus.OK, content
    return headers, HTTPStatus.OK, to_json(document, api.pretty_print)
