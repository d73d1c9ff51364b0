"""What a run found: comparisons with the alternatives, rendered as results.md and results.json."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Figure:
    """One measured value, with the percentiles or counts behind it."""

    value: float
    unit: str  # "req/s", "ms", "rows/s", "MB"
    detail: str = ""

    def text(self) -> str:
        shown = f"{self.value:,.0f}" if abs(self.value) >= 100 else f"{self.value:.3g}"
        return f"{shown} {self.unit}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class Target:
    """What the issue asks of ``ours / theirs`` (and, optionally, of our absolute value)."""

    kind: Literal["at_least", "at_most"]
    ratio: float
    absolute_max: float | None = None  # our value must also stay under this (same unit)
    text: str = ""
    absolute_min: float | None = None  # our value must also reach this (same unit)

    def met(self, ratio: float, ours: float) -> bool:
        ok = ratio >= self.ratio if self.kind == "at_least" else ratio <= self.ratio
        if self.absolute_max is not None:
            ok = ok and ours < self.absolute_max
        if self.absolute_min is not None:
            ok = ok and ours >= self.absolute_min
        return ok


@dataclass
class Comparison:
    """One row of the results table. ``ours``/``theirs`` are None when not measured (see note)."""

    scenario: str
    name: str
    alternative: str
    ours: Figure | None = None
    theirs: Figure | None = None
    target: Target | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.theirs is None or self.theirs.value == 0:
            return None
        return self.ours.value / self.theirs.value

    @property
    def met(self) -> bool | None:
        ratio = self.ratio
        if ratio is None or self.target is None or self.ours is None:
            return None
        return self.target.met(ratio, self.ours.value)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = None if self.ratio is None else round(self.ratio, 4)
        data["met"] = self.met
        return data


def not_available(scenario: str, name: str, alternative: str, why: str) -> Comparison:
    """A row for a part that is not implemented (or not measurable) yet: never a made-up number."""
    return Comparison(scenario, name, alternative, note=f"not available: {why}")


@dataclass
class Report:
    machine: dict[str, str]
    size: dict[str, Any]
    rows: list[Comparison]
    caveats: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "size": self.size,
            "caveats": self.caveats,
            "results": [row.as_json() for row in self.rows],
        }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    lines = ["# Benchmark results", ""]
    lines.append(
        "Written by `python -m bench.run` (`make bench` / `make bench-quick`); see docs/bench.md."
    )
    lines.append("")
    lines.append("## Machine")
    lines.append("")
    for key, value in report.machine.items():
        lines.append(f"- {key}: {value}")
    lines.append("")
    lines.append("## Data")
    lines.append("")
    for key, value in report.size.items():
        lines.append(f"- {key}: {value}")
    lines.append("")
    lines.append("## Results")
    lines.append("")
    lines.append("| scenario | measured | this project | alternative | ratio | target | met? |")
    lines.append("|---|---|---|---|---|---|---|")
    for row in report.rows:
        ours = row.ours.text() if row.ours else (row.note or "not measured")
        theirs = row.theirs.text() if row.theirs else (row.note if row.ours else "—")
        theirs = f"{row.alternative}: {theirs}" if row.alternative else theirs
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
        target = row.target.text if row.target else "—"
        met = {True: "yes", False: "**no**", None: "—"}[row.met]
        if row.note and row.ours and row.theirs:
            met += f" ({row.note})"
        cells = [row.scenario, row.name, ours, theirs, ratio, target, met]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append("")
    lines.append(
        "Ratio = this project ÷ alternative (for throughput higher is better, for latency and"
    )
    lines.append("memory lower is better; the target column says which way).")
    lines.append("")
    if report.caveats:
        lines.append("## Caveats")
        lines.append("")
        lines.extend(f"- {c}" for c in report.caveats)
        lines.append("")
    return "\n".join(lines)


def write_report(report: Report, out_dir: Path, *, stem: str = "results") -> tuple[Path, Path]:
    md, js = out_dir / f"{stem}.md", out_dir / f"{stem}.json"
    md.write_text(render_markdown(report))
    js.write_text(json.dumps(report.as_json(), indent=2) + "\n")
    return md, js
