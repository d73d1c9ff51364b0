"""OGC API Processes (pygeoapi process plugins) for the analyses. Issue #5 fills this in.

PROCESSES maps each process id to the dotted path of its pygeoapi processor class; the pygeoapi
configuration generated in gisserver.ogc publishes every entry.
"""

from __future__ import annotations

PROCESSES: dict[str, str] = {}
