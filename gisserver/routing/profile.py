"""The routing profile: the speed of each road class and what a hazard zone in force does to the
roads it touches (closed, or driven slower), by hazard type and severity.

The bundled profile is ``profile.yaml`` beside this module; ``GISSERVER_ROUTING_PROFILE`` names
a file replacing it and ``GISSERVER_ROAD_SPEEDS_KMH`` overrides speeds (``primary=50,...``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gisserver.errors import ConfigError
from gisserver.layers import SEVERITIES
from gisserver.settings import Settings

BUNDLED = Path(__file__).with_name("profile.yaml")
CLOSED = "closed"
# A speed factor of 0 is a closed road in the costs (gisserver/sql/routing/edges.sql).
CLOSED_FACTOR = 0.0


@dataclass(frozen=True)
class Profile:
    """Speeds in km/h per road class, and per (hazard type or ``*``) the effect of each
    severity: a speed factor in (0, 1), or 0 for closed."""

    speeds_kmh: Mapping[str, float]
    default_speed_kmh: float
    hazard_effects: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    source: str = str(BUNDLED)

    @property
    def max_speed_kmh(self) -> float:
        """The fastest speed of any class (a lower bound of travel times needs it)."""
        return max((*self.speeds_kmh.values(), self.default_speed_kmh))

    def effect(self, hazard_type: str, severity: str) -> float | None:
        """The speed factor a zone of this type and severity puts on its roads: 0 closed, None
        no effect."""
        effects = self.hazard_effects.get(hazard_type, self.hazard_effects.get("*", {}))
        return effects.get(severity)

    def describe_effect(self, factor: float | None) -> str:
        if factor is None:
            return "none"
        return CLOSED if factor == CLOSED_FACTOR else f"speed x{factor:g}"


def _speed(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 300:
        raise ConfigError(f"{where}: {value!r} is not a speed; accepted: km/h, 0 < v <= 300")
    return float(value)


def _effects(raw: Any, where: str) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected severity: effect pairs")
    effects: dict[str, float] = {}
    for severity, effect in raw.items():
        if severity not in SEVERITIES:
            raise ConfigError(
                f"{where}.{severity}: not a severity; accepted: {', '.join(SEVERITIES)}"
            )
        if effect == CLOSED:
            effects[severity] = CLOSED_FACTOR
        elif isinstance(effect, int | float) and not isinstance(effect, bool) and 0 < effect < 1:
            effects[severity] = float(effect)
        else:
            raise ConfigError(
                f"{where}.{severity}: {effect!r} is not an effect; accepted: closed, or a speed "
                "factor 0 < f < 1"
            )
    return effects


def parse_profile(raw: Any, *, source: str) -> Profile:
    """A profile from its YAML document; ConfigError names what is wrong."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: a routing profile is a mapping")
    unknown = set(raw) - {"speeds_kmh", "default_speed_kmh", "hazards"}
    if unknown:
        raise ConfigError(
            f"{source}: unknown keys {sorted(unknown)}; accepted: speeds_kmh, "
            "default_speed_kmh, hazards"
        )
    speeds = raw.get("speeds_kmh") or {}
    if not isinstance(speeds, Mapping) or not speeds:
        raise ConfigError(f"{source}: speeds_kmh: expected road class: km/h pairs")
    hazards = raw.get("hazards") or {}
    if not isinstance(hazards, Mapping) or set(hazards) - {"default", "by_hazard_type"}:
        raise ConfigError(f"{source}: hazards: accepted keys: default, by_hazard_type")
    effects = {"*": _effects(hazards.get("default"), f"{source}: hazards.default")}
    for hazard_type, raw_effects in (hazards.get("by_hazard_type") or {}).items():
        effects[str(hazard_type)] = _effects(
            raw_effects, f"{source}: hazards.by_hazard_type.{hazard_type}"
        )
    return Profile(
        speeds_kmh={str(k): _speed(v, f"{source}: speeds_kmh.{k}") for k, v in speeds.items()},
        default_speed_kmh=_speed(raw.get("default_speed_kmh", 25), f"{source}: default_speed_kmh"),
        hazard_effects=effects,
        source=source,
    )


def parse_speeds(text: str) -> dict[str, float]:
    """``primary=50,residential=25`` as {class: km/h}."""
    speeds: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        try:
            speed = float(value)
        except ValueError:
            speed = -1.0
        if not sep or not name.strip():
            speed = -1.0
        speeds[name.strip()] = _speed(
            speed if speed > 0 else value, f"GISSERVER_ROAD_SPEEDS_KMH: {item!r}"
        )
    return speeds


@lru_cache(maxsize=8)
def _load(path: Path, overrides: str | None, modified: int | None) -> Profile:
    """``modified`` (the file's mtime) is part of the cache key only: an edited file is read
    again at the next query."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"routing profile {path}: {exc}") from exc
    profile = parse_profile(raw, source=str(path))
    if overrides:
        speeds = {**profile.speeds_kmh, **parse_speeds(overrides)}
        profile = Profile(speeds, profile.default_speed_kmh, profile.hazard_effects, profile.source)
    return profile


def profile_of(settings: Settings) -> Profile:
    """The deployment's profile (cached per file, its modification time and overrides: a
    change of the file acts on the next query)."""
    path = settings.routing_profile or BUNDLED
    try:
        modified: int | None = path.stat().st_mtime_ns
    except OSError:
        modified = None  # _load says what is wrong with it
    return _load(path, settings.road_speeds_kmh, modified)
