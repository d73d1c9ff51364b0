"""The rules: for each, the SQL that finds the subjects whose condition holds, and what the alert
says about one of them in plain words a duty officer understands (headline, description,
instruction, details). Thresholds and severities come from the layers' ``alerts:`` sections.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gisserver.layers import FROM_ZONE, SEVERITY_TO_CAP, AlertRule

# Who the rules act as in the audit trail (and who resolves an alert whose condition ended).
RULES_ACTOR = "alert-rules"


@dataclass(frozen=True)
class Finding:
    """What an alert about one subject says while its rule's condition holds."""

    subject: str
    wkb: bytes
    event: str
    severity: str
    headline: str
    description: str
    instruction: str
    details: dict[str, Any]
    urgency: str = "immediate"
    certainty: str = "observed"
    expires: str | None = None  # ISO 8601: when the condition is known to end (a zone's end)


@dataclass(frozen=True)
class RuleKind:
    """How one rule is evaluated: its SQL (``alerts/<name>.sql``), its parameters, the layer
    of its subjects, and the alert a row of its SQL becomes."""

    name: str
    layer: str
    params: Callable[[AlertRule, dt.datetime], dict[str, Any]]
    finding: Callable[[AlertRule, Mapping[str, Any]], Finding]
    resolution: str

    @property
    def sql(self) -> str:
        return f"alerts/{self.name}.sql"

    def subject(self, feature_id: int) -> str:
        return f"{self.layer}/{feature_id}"


def _cap(rule: AlertRule, zone_severity: str | None) -> str:
    if rule.severity == FROM_ZONE:
        return SEVERITY_TO_CAP.get(zone_severity or "", "moderate")
    return rule.severity


def _zone_name(zone: Mapping[str, Any]) -> str:
    name = zone.get("name")
    return f"hazard zone '{name}'" if name else f"hazard zone {zone['id']}"


def _zone_words(zone: Mapping[str, Any]) -> str:
    kind = str(zone.get("hazard_type") or "hazard").replace("_", " ")
    return f"{_zone_name(zone)} ({kind}, {zone.get('severity') or 'severity unknown'})"


def _zones_words(zones: list[Mapping[str, Any]]) -> str:
    words = [_zone_words(zone) for zone in zones]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _no_params(rule: AlertRule, now: dt.datetime) -> dict[str, Any]:
    return {"now": now}


# ---------------------------------------------------------------------------------------------
# incidents


def _incident(rule: AlertRule, row: Mapping[str, Any]) -> Finding:
    incident, zones = row["facts"], row["zones"]
    kind = str(incident.get("incident_type") or "incident").replace("_", " ")
    what = f"Incident {incident['id']} ({kind}, {incident.get('severity') or 'severity unknown'})"
    return Finding(
        subject=f"incidents/{incident['id']}",
        wkb=bytes(row["wkb"]),
        event="Incident inside a hazard zone",
        severity=_cap(rule, zones[0].get("severity")),
        headline=f"{what} is inside {_zones_words(zones[:1])}",
        description=(
            f"{what}, status {incident.get('status') or 'unknown'}, lies inside "
            f"{_zones_words(zones)}, in force now."
        ),
        instruction=(
            "Warn the responders of the hazard before they go in, and check whether the "
            "incident is caused or worsened by it."
        ),
        details={"incident": incident, "zones": zones},
    )


# ---------------------------------------------------------------------------------------------
# hazard zones


ASSET_LAYERS = ("shelters", "stockpiles", "cameras")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _zone_assets(rule: AlertRule, row: Mapping[str, Any]) -> Finding:
    zone, assets = row["facts"], row["assets"]
    shelters, stockpiles, cameras = (assets[layer] for layer in ASSET_LAYERS)
    counted = [
        _count(len(shelters), "shelter", "shelters"),
        _count(len(stockpiles), "stockpile", "stockpiles"),
        _count(len(cameras), "camera", "cameras"),
    ]
    listed = []
    for title, features in (
        ("Shelters", shelters),
        ("Stockpiles", stockpiles),
        ("Cameras", cameras),
    ):
        if features:
            names = ", ".join(f"{f.get('name') or f['id']} ({f['id']})" for f in features[:20])
            more = f" and {len(features) - 20} more" if len(features) > 20 else ""
            listed.append(f"{title}: {names}{more}.")
    population = row.get("population") or {}
    people = population.get("population")
    if people is None:
        people_words = (
            f"The affected population is unknown ({population.get('reason') or 'not computed'})."
        )
    else:
        people_words = (
            f"About {round(people):,} people live in the zone "
            f"(source: {population.get('source') or 'unknown'})."
        )
    open_shelters = [s for s in shelters if s.get("status") == "open"]
    instruction = "Check that the assets in the zone are safe and usable;"
    if open_shelters:
        instruction += f" {_count(len(open_shelters), 'shelter is', 'shelters are')} still open:"
        instruction += " consider moving people out."
    else:
        instruction += " do not send people to the shelters listed."
    return Finding(
        subject=f"hazard_zones/{zone['id']}",
        wkb=bytes(row["wkb"]),
        event="Hazard zone covers assets",
        severity=_cap(rule, zone.get("severity")),
        headline=f"{_capitalised(_zone_words(zone))} covers {', '.join(counted)}",
        description=" ".join(
            [f"In force now; covers {', '.join(counted)}.", *listed, people_words]
        ),
        instruction=instruction,
        details={
            "zone": zone,
            "assets": {layer: assets[layer] for layer in ASSET_LAYERS},
            "population": population,
        },
        urgency="expected",
        expires=zone.get("valid_to"),
    )


# ---------------------------------------------------------------------------------------------
# shelters


def _share_params(rule: AlertRule, now: dt.datetime) -> dict[str, Any]:
    return {"now": now, "share": Decimal(str(rule.thresholds["occupancy_at_least"]))}


def _shelter_name(shelter: Mapping[str, Any]) -> str:
    name = shelter.get("name")
    return f"Shelter '{name}' ({shelter['id']})" if name else f"Shelter {shelter['id']}"


def _nearly_full(rule: AlertRule, row: Mapping[str, Any]) -> Finding:
    shelter = row["facts"]
    occupancy, capacity = shelter["occupancy"], shelter["capacity"]
    share = float(rule.thresholds["occupancy_at_least"])
    full = occupancy >= capacity
    return Finding(
        subject=f"shelters/{shelter['id']}",
        wkb=bytes(row["wkb"]),
        event="Shelter full" if full else "Shelter nearly full",
        severity=rule.severity,
        headline=(
            f"{_shelter_name(shelter)} is {'full' if full else 'nearly full'}: "
            f"{occupancy} of {capacity} places taken ({occupancy / capacity:.0%})"
        ),
        description=(
            f"{_shelter_name(shelter)} holds {occupancy} people for {capacity} places, at or "
            f"above the alert threshold of {share:.0%}; {max(capacity - occupancy, 0)} "
            "places are left."
        ),
        instruction="Send new arrivals to another shelter, or open more places.",
        details={"shelter": shelter, "occupancy_at_least": share},
    )


def _open_in_zone(rule: AlertRule, row: Mapping[str, Any]) -> Finding:
    shelter, zones = row["facts"], row["zones"]
    return Finding(
        subject=f"shelters/{shelter['id']}",
        wkb=bytes(row["wkb"]),
        event="Open shelter inside a hazard zone",
        severity=_cap(rule, zones[0].get("severity")),
        headline=f"{_shelter_name(shelter)} is open inside {_zones_words(zones[:1])}",
        description=(
            f"{_shelter_name(shelter)} is open, with {shelter.get('occupancy') or 0} people, "
            f"inside {_zones_words(zones)}, in force now."
        ),
        instruction=(
            "Stop sending people to this shelter; decide whether to evacuate it or close it."
        ),
        details={"shelter": shelter, "zones": zones},
    )


# ---------------------------------------------------------------------------------------------
# stockpiles


def _stockpile_name(stockpile: Mapping[str, Any]) -> str:
    name = stockpile.get("name")
    return f"Stockpile '{name}' ({stockpile['id']})" if name else f"Stockpile {stockpile['id']}"


def _minimum_params(rule: AlertRule, now: dt.datetime) -> dict[str, Any]:
    return {
        "now": now,
        "today": now.astimezone(dt.UTC).date(),
        "minimums": json.dumps(dict(rule.minimums)),
    }


def _number(value: Any) -> str:
    number = float(value)
    return f"{number:g}" if number != int(number) else f"{int(number):,}"


def _below_minimum(rule: AlertRule, row: Mapping[str, Any]) -> Finding:
    stockpile, items = row["facts"], row["items"]
    words = [
        f"{item['item'].replace('_', ' ')} {_number(item['quantity'])} {item['unit'] or ''}"
        f" (minimum {_number(item['minimum'])})".replace("  ", " ")
        for item in items
    ]
    return Finding(
        subject=f"stockpiles/{stockpile['id']}",
        wkb=bytes(row["wkb"]),
        event="Stock below minimum",
        severity=rule.severity,
        headline=f"{_stockpile_name(stockpile)} is low on "
        + ", ".join(item["item"].replace("_", " ") for item in items),
        description=f"{_stockpile_name(stockpile)} holds less than its minimum of: "
        + "; ".join(words)
        + ". Expired lots are not counted.",
        instruction="Restock it, or move stock in from another stockpile.",
        details={"stockpile": stockpile, "items": items},
        urgency="expected",
    )


def _expiry_params(rule: AlertRule, now: dt.datetime) -> dict[str, Any]:
    return {
        "now": now,
        "today": now.astimezone(dt.UTC).date(),
        "days": int(rule.thresholds["expiring_within_days"]),
    }


def _expiring(rule: AlertRule, row: Mapping[str, Any]) -> Finding:
    stockpile, lots = row["facts"], row["lots"]
    days = int(rule.thresholds["expiring_within_days"])
    words = [
        f"{lot['item'].replace('_', ' ')} {_number(lot['quantity'])} {lot['unit']} on "
        f"{lot['expires_on']}"
        for lot in lots
    ]
    return Finding(
        subject=f"stockpiles/{stockpile['id']}",
        wkb=bytes(row["wkb"]),
        event="Stock expiring",
        severity=rule.severity,
        headline=f"{_stockpile_name(stockpile)} has "
        + _count(len(lots), "lot", "lots")
        + f" expired or expiring within {days} days",
        description=f"Lots of {_stockpile_name(stockpile)} that expire by the "
        f"{days}-day limit: " + "; ".join(words) + ".",
        instruction="Issue these lots first, or replace them before they expire.",
        details={"stockpile": stockpile, "lots": lots, "expiring_within_days": days},
        urgency="expected",
    )


# ---------------------------------------------------------------------------------------------
# cameras


def _silence_params(rule: AlertRule, now: dt.datetime) -> dict[str, Any]:
    return {"now": now, "minutes": rule.thresholds["silent_for_minutes"]}


def _silent(rule: AlertRule, row: Mapping[str, Any]) -> Finding:
    camera = row["facts"]
    minutes = rule.thresholds["silent_for_minutes"]
    name = camera.get("name")
    what = f"Camera '{name}' ({camera['id']})" if name else f"Camera {camera['id']}"
    return Finding(
        subject=f"cameras/{camera['id']}",
        wkb=bytes(row["wkb"]),
        event="Camera silent",
        severity=rule.severity,
        headline=f"{what} has reported nothing for more than {_number(minutes)} minutes",
        description=(
            f"{what} last reported at {camera.get('last_report')} "
            f"(status then: {camera.get('status') or 'unknown'})."
        ),
        instruction="Check the camera and its link; do not rely on its picture meanwhile.",
        details={"camera": camera, "silent_for_minutes": minutes},
        urgency="expected",
    )


KINDS: Mapping[str, RuleKind] = {
    kind.name: kind
    for kind in (
        RuleKind(
            "incident_in_hazard_zone",
            "incidents",
            _no_params,
            _incident,
            "The incident is no longer inside a hazard zone in force (it moved, it was resolved "
            "or deleted, or the zone ended).",
        ),
        RuleKind(
            "hazard_zone_covers_assets",
            "hazard_zones",
            _no_params,
            _zone_assets,
            "The zone no longer covers a shelter, stockpile or camera, or is no longer in force.",
        ),
        RuleKind(
            "shelter_nearly_full",
            "shelters",
            _share_params,
            _nearly_full,
            "The shelter's occupancy is below the alert threshold again.",
        ),
        RuleKind(
            "shelter_open_in_hazard_zone",
            "shelters",
            _no_params,
            _open_in_zone,
            "The shelter is no longer open inside a hazard zone in force.",
        ),
        RuleKind(
            "stock_below_minimum",
            "stockpiles",
            _minimum_params,
            _below_minimum,
            "The stockpile holds at least its minimum of every item again.",
        ),
        RuleKind(
            "stock_expiring",
            "stockpiles",
            _expiry_params,
            _expiring,
            "No lot in stock at the stockpile expires within the limit any more.",
        ),
        RuleKind(
            "camera_silent",
            "cameras",
            _silence_params,
            _silent,
            "The camera reported again.",
        ),
    )
}
