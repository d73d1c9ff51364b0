"""Alerts: the rules of the layers' ``alerts:`` sections evaluated on every change of the feed
and on the clock (``AlertEngine``), and an alert's lifecycle, active -> acknowledged ->
resolved (``lifecycle``). No HTTP: ``gisserver.web.alerts`` serves them, the worker runs the
engine.
"""

from gisserver.alerts.engine import AlertEngine
from gisserver.alerts.lifecycle import AlertQuery, change_status, get_alert, list_alerts
from gisserver.alerts.rules import KINDS, RULES_ACTOR

__all__ = [
    "KINDS",
    "RULES_ACTOR",
    "AlertEngine",
    "AlertQuery",
    "change_status",
    "get_alert",
    "list_alerts",
]
