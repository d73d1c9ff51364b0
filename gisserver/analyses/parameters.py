"""Query parameters as users give them (query strings, JSON, process inputs, CLI options).

Each parser raises InvalidParameter naming the parameter, what was wrong and what is accepted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gisserver.errors import InvalidParameter


def parse_bool(value: Any, *, parameter: str) -> bool:
    """true/false as JSON booleans or the strings true/false/1/0/yes/no."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise InvalidParameter(parameter, f"{value!r} is not a boolean", "true or false")


def parse_int(value: Any, *, parameter: str, minimum: int, maximum: int | None = None) -> int:
    """An integer within bounds (JSON integers or decimal strings)."""
    accepted = f"an integer >= {minimum}" + (f" and <= {maximum}" if maximum is not None else "")
    if isinstance(value, bool):
        raise InvalidParameter(parameter, f"{value!r} is not an integer", accepted)
    try:
        number = int(value) if isinstance(value, int) else int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise InvalidParameter(parameter, f"{value!r} is not an integer", accepted) from exc
    if number < minimum or (maximum is not None and number > maximum):
        raise InvalidParameter(parameter, f"{number} is out of range", accepted)
    return number


def parse_number(value: Any, *, parameter: str, minimum: float = 0.0) -> float:
    """A finite number >= minimum."""
    accepted = f"a number >= {minimum:g}"
    if isinstance(value, bool):
        raise InvalidParameter(parameter, f"{value!r} is not a number", accepted)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidParameter(parameter, f"{value!r} is not a number", accepted) from exc
    if number != number or number in (float("inf"), float("-inf")) or number < minimum:
        raise InvalidParameter(parameter, f"{value!r} is out of range", accepted)
    return number


def parse_choice(value: Any, *, parameter: str, choices: tuple[str, ...]) -> str:
    """One of a fixed set of names."""
    if not isinstance(value, str) or value not in choices:
        raise InvalidParameter(parameter, f"{value!r} is not known", ", ".join(choices))
    return value


def reject_unknown(params: Any, known: set[str] | tuple[str, ...], *, where: str) -> None:
    """Refuse parameters that would otherwise be silently ignored."""
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise InvalidParameter(
            unknown[0], f"is not a parameter of {where}", ", ".join(sorted(known))
        )


def parse_time(value: Any, *, parameter: str = "at") -> dt.datetime:
    """An ISO 8601 time; one without a zone is taken as UTC."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise InvalidParameter(
                parameter,
                f"{value!r} is not an ISO 8601 time",
                "e.g. 2026-11-25T20:30:00Z or 2026-11-25",
            ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
