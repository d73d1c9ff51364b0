"""The ``alerts:`` section of a layer file: the rules that raise alerts about the layer's
features, with their thresholds and severity (``gisserver.alerts`` evaluates them). Read by
``gisserver.layers.files``, which reports the problems with the file's name.

Every rule belongs to the layer of its subject (a shelter's occupancy to ``shelters.yaml``). A
rule the file does not list runs with its defaults; ``enabled: false`` turns one off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gisserver.layers.editing import Problems
from gisserver.layers.model import STOCK_ITEMS, AlertRule

# CAP severities (alerts.severity), most severe first.
CAP_SEVERITIES = ("extreme", "severe", "moderate", "minor")
# A rule's severity may follow the hazard zone's: low -> minor, high -> severe, ...
FROM_ZONE = "from_zone"
SEVERITY_TO_CAP = {"low": "minor", "moderate": "moderate", "high": "severe", "extreme": "extreme"}


@dataclass(frozen=True)
class _Threshold:
    """One threshold a rule accepts: a number in [low, high] (``low_open``: above low)."""

    default: float
    low: float
    high: float
    accepted: str
    low_open: bool = False
    integer: bool = False

    def check(self, value: Any) -> str | None:
        """None if ``value`` is accepted, else what is wrong."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{value!r} is not a number; accepted: {self.accepted}"
        if self.integer and value != int(value):
            return f"{value!r} is not a whole number; accepted: {self.accepted}"
        too_low = value <= self.low if self.low_open else value < self.low
        if too_low or value > self.high:
            return f"{value!r} is out of range; accepted: {self.accepted}"
        return None


@dataclass(frozen=True)
class _RuleSpec:
    layer: str
    severity: str
    thresholds: Mapping[str, _Threshold]
    # severity may be FROM_ZONE (the rule is about a hazard zone)
    zone_severity: bool = False
    minimums: bool = False


RULES: Mapping[str, _RuleSpec] = {
    "incident_in_hazard_zone": _RuleSpec("incidents", FROM_ZONE, {}, zone_severity=True),
    "hazard_zone_covers_assets": _RuleSpec("hazard_zones", FROM_ZONE, {}, zone_severity=True),
    "shelter_nearly_full": _RuleSpec(
        "shelters",
        "moderate",
        {
            "occupancy_at_least": _Threshold(
                0.9, 0.0, 1.0, "a share of the capacity, above 0 and at most 1 (0.9: 90%)", True
            )
        },
    ),
    "shelter_open_in_hazard_zone": _RuleSpec("shelters", FROM_ZONE, {}, zone_severity=True),
    "stock_below_minimum": _RuleSpec("stockpiles", "moderate", {}, minimums=True),
    "stock_expiring": _RuleSpec(
        "stockpiles",
        "minor",
        {
            "expiring_within_days": _Threshold(
                7, 0, 3650, "a whole number of days from 0 to 3650", integer=True
            )
        },
    ),
    "camera_silent": _RuleSpec(
        "cameras",
        "minor",
        {
            "silent_for_minutes": _Threshold(
                30, 0, 10_080, "minutes, above 0 and at most 10080 (a week)", low_open=True
            )
        },
    ),
}


def rules_of(layer_id: str) -> tuple[str, ...]:
    return tuple(name for name, spec in RULES.items() if spec.layer == layer_id)


def read_alerts(r: Problems, data: Any, layer_id: str) -> dict[str, AlertRule]:
    """``alerts:``: the layer's rules, their thresholds and severity (absent: the defaults)."""
    names = rules_of(layer_id)
    accepted_names = ", ".join(names) or f"none (no rule is about {layer_id})"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        r.problem(
            "alerts", f"must be a mapping of rule name to its settings; rules: {accepted_names}"
        )
        data = {}
    for name in data:
        if name not in names:
            r.problem(
                f"alerts.{name}",
                f"{name!r} is not a rule of {layer_id}; accepted: {accepted_names}",
            )
    rules: dict[str, AlertRule] = {}
    for name in names:
        spec = RULES[name]
        settings = data.get(name)
        if settings is None:
            settings = {}
        where = f"alerts.{name}"
        if not isinstance(settings, dict):
            r.problem(where, "must be a mapping (enabled, severity, thresholds)")
            settings = {}
        allowed = {"enabled", "severity", *spec.thresholds}
        if spec.minimums:
            allowed.add("minimums")
        r.unknown(where, settings, allowed)
        enabled = settings.get("enabled", True)
        if not isinstance(enabled, bool):
            r.problem(f"{where}.enabled", f"{enabled!r} is not true or false")
            enabled = True
        severities = (*CAP_SEVERITIES, FROM_ZONE) if spec.zone_severity else CAP_SEVERITIES
        severity = settings.get("severity", spec.severity)
        if severity not in severities:
            r.problem(
                f"{where}.severity",
                f"{severity!r} is not a severity; accepted: {', '.join(severities)}",
            )
            severity = spec.severity
        thresholds: dict[str, float] = {}
        for key, threshold in spec.thresholds.items():
            value = settings.get(key, threshold.default)
            wrong = threshold.check(value)
            if wrong:
                r.problem(f"{where}.{key}", wrong)
                value = threshold.default
            thresholds[key] = float(value)
        minimums: dict[str, float] = {}
        if spec.minimums:
            given = settings.get("minimums") or {}
            if not isinstance(given, dict):
                r.problem(f"{where}.minimums", "must map a stock item to its minimum quantity")
                given = {}
            for item, quantity in given.items():
                if item not in STOCK_ITEMS:
                    r.problem(
                        f"{where}.minimums.{item}",
                        f"{item!r} is not a stock item; accepted: {', '.join(STOCK_ITEMS)}",
                    )
                elif (
                    isinstance(quantity, bool)
                    or not isinstance(quantity, int | float)
                    or quantity <= 0
                ):
                    r.problem(
                        f"{where}.minimums.{item}",
                        f"{quantity!r} is not accepted; accepted: a quantity above 0",
                    )
                else:
                    minimums[str(item)] = float(quantity)
        rules[name] = AlertRule(
            name=name,
            layer=layer_id,
            enabled=enabled,
            severity=str(severity),
            thresholds=thresholds,
            minimums=minimums,
        )
    return rules
