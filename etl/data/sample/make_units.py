"""Writes units_SAMPLE.geojson: INVENTED response units (a SAMPLE for the demo) placed at the
REAL Cambridge fire stations, police stations and hospitals of ../cambridge/ (see
../PROVENANCE.md). Deterministic: the same files give the same output, byte for byte.

    python etl/data/sample/make_units.py

The fields carry the units layer's own names (layers/units.yaml), so the file loads with no
mapping; source_id is stable (the unit's call sign), so a load with replace: true keeps ids.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CAMBRIDGE = HERE.parent / "cambridge"
OUTPUT = HERE / "units_SAMPLE.geojson"
# The time the sample units were last reported at their station (the incidents sample's day).
POSITION_AT = "2026-11-25T14:00:00-05:00"
ENGINE = ["fire", "rescue", "ems", "bls"]
LADDER = ["fire", "ladder", "rescue"]
# Fire stations with a ladder company besides their engine (invented).
LADDERS = {"Fire Headquarters": 1, "Fire Company 2": 2, "Fire Company 3": 3, "Fire Company 8": 4}
# Ambulances of each hospital (invented): call sign number, advanced or basic life support.
AMBULANCES = {
    "Cambridge Hospital": [(1, "als"), (2, "bls")],
    "Spaulding Hospital Cambridge": [(3, "bls")],
    "Mount Auburn Hospital": [(4, "als"), (5, "bls")],
}
OUT_OF_SERVICE = "Ladder 4"  # one unit in the workshop, for realism


def _stations(name: str) -> list[tuple[str, list[float]]]:
    """(SITE_NAME, [lon, lat]) of each feature of a Cambridge file, in file order."""
    collection = json.loads((CAMBRIDGE / f"{name}.geojson").read_text())
    return [
        (
            f["properties"]["SITE_NAME"],
            [round(c, 7) for c in f["geometry"]["coordinates"]],
        )
        for f in collection["features"]
    ]


def _unit(
    name: str, unit_type: str, capabilities: list[str], station: str, where: list[float]
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "source_id": "sample-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
            "name": name,
            "unit_type": unit_type,
            "capabilities": capabilities,
            "home_station": station,
            "status": "out_of_service" if name == OUT_OF_SERVICE else "available",
            "position_at": POSITION_AT,
            "speed": 0,
        },
        "geometry": {"type": "Point", "coordinates": where},
    }


def units() -> list[dict[str, Any]]:
    out = []
    for station, where in _stations("PUBLICSAFETY_FireStations"):
        number = 1 if station == "Fire Headquarters" else int(station.rsplit(" ", 1)[1])
        out.append(_unit(f"Engine {number}", "fire_engine", ENGINE, station, where))
        if station in LADDERS:
            out.append(_unit(f"Ladder {LADDERS[station]}", "ladder", LADDER, station, where))
        if station == "Fire Headquarters":
            rescue = ["rescue", "water_rescue", "ems", "bls"]
            out.append(_unit("Rescue 1", "rescue_team", rescue, station, where))
            out.append(_unit("Hazmat 1", "hazmat", ["hazmat", "fire"], station, where))
            out.append(_unit("Division 1", "command", ["command"], station, where))
    for station, where in _stations("HEALTH_Hospitals"):
        for number, level in AMBULANCES[station]:
            capabilities = ["ambulance", "ems", level]
            out.append(_unit(f"Ambulance {number}", "ambulance", capabilities, station, where))
    for n, (station, where) in enumerate(_stations("PUBLICSAFETY_PoliceStation"), start=1):
        for car in (1, 2):
            out.append(_unit(f"Police {n}{car}", "police_car", ["police"], station, where))
    return out


def main() -> None:
    collection = {
        "type": "FeatureCollection",
        "name": "units_SAMPLE",
        "description": (
            "SAMPLE, INVENTED FOR THE DEMO: these response units, their call signs, types, "
            "capabilities and statuses are made up. Their home stations and positions are the "
            "REAL Cambridge fire stations, police stations and hospitals (Cambridge GIS, see "
            "PROVENANCE.md). Written by make_units.py; fields carry the units layer's own "
            "names, so this file loads with no mapping."
        ),
        "features": units(),
    }
    lines = [json.dumps(f) for f in collection.pop("features")]
    head = json.dumps(collection, indent=2)[:-2]
    OUTPUT.write_text(head + ',\n  "features": [\n    ' + ",\n    ".join(lines) + "\n  ]\n}\n")


if __name__ == "__main__":
    main()
