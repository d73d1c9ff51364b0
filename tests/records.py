"""What the record tests share: an incident's history written by the test itself, as the edit
role with an actor (``audit.act_as``), so that the triggers record it as the API would: the
incident, its status transitions (``gisserver.note``), units, assignments and their steps, and
unit positions. Every time is one the test chose or observed (``now()`` of the transaction that
made the change), returned for the test's own computation of what the server should answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gisserver import audit

ACTOR = audit.Actor("test-dispatcher", "operator", request_id="test-records")


@dataclass
class Assignment:
    id: int
    unit_id: int
    unit_name: str
    unit_type: str
    assigned_at: dt.datetime
    en_route_at: dt.datetime | None = None
    on_scene_at: dt.datetime | None = None
    released_at: dt.datetime | None = None


@dataclass
class History:
    """What the test wrote about one incident, with the times of each change."""

    incident_id: int
    reported_at: dt.datetime
    created_at: dt.datetime
    transitions: list[tuple[str, str, dt.datetime, str | None]] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)


class Recorder:
    """Writes histories as the edit role; ``close()`` removes the units and assignments."""

    def __init__(self, edit_url: str, admin_url: str, source: str) -> None:
        self.edit_url = edit_url
        self.admin_url = admin_url
        self.source = source
        self.units: list[int] = []
        self.incidents: list[int] = []
        self.alerts: list[int] = []

    @contextmanager
    def acting(self) -> Iterator[psycopg.Connection[Any]]:
        """A transaction as the edit role, with the test's actor."""
        with psycopg.connect(self.edit_url, row_factory=dict_row) as conn:
            audit.act_as(conn, ACTOR)
            yield conn

    @staticmethod
    def now(conn: psycopg.Connection[Any]) -> dt.datetime:
        row = conn.execute("SELECT now() AS now").fetchone()
        assert row is not None
        return row["now"]  # type: ignore[no-any-return]

    def incident(
        self,
        geometry_wkt: str,
        reported_at: dt.datetime,
        *,
        incident_type: str = "fire",
        severity: str = "high",
    ) -> History:
        with self.acting() as conn:
            row = conn.execute(
                "INSERT INTO incidents (source, source_id, incident_type, severity,"
                " reported_at, geom) VALUES (%s, %s, %s, %s, %s, ST_GeomFromText(%s, 4326))"
                " RETURNING id",
                (
                    self.source,
                    f"rec-{len(self.incidents)}",
                    incident_type,
                    severity,
                    reported_at,
                    geometry_wkt,
                ),
            ).fetchone()
            assert row is not None
            created_at = self.now(conn)
        self.incidents.append(row["id"])
        return History(row["id"], reported_at, created_at)

    def transition(self, history: History, to: str, note: str | None = None) -> dt.datetime:
        """UPDATE incidents SET status (the trigger writes the transition); its time."""
        with self.acting() as conn:
            before = conn.execute(
                "SELECT status FROM incidents WHERE id = %s", (history.incident_id,)
            ).fetchone()
            assert before is not None
            if note is not None:
                conn.execute("SELECT set_config('gisserver.note', %s, true)", (note,))
            conn.execute(
                "UPDATE incidents SET status = %s, updated_at = now() WHERE id = %s",
                (to, history.incident_id),
            )
            at = self.now(conn)
        history.transitions.append((before["status"], to, at, note))
        return at

    def unit(self, name: str, unit_type: str, lon: float, lat: float) -> int:
        with self.acting() as conn:
            row = conn.execute(
                "INSERT INTO units (source, source_id, name, unit_type, geom)"
                " VALUES (%s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) RETURNING id",
                (self.source, f"unit-{len(self.units)}-{name}", name, unit_type, lon, lat),
            ).fetchone()
        assert row is not None
        self.units.append(row["id"])
        return int(row["id"])

    def assign(
        self,
        history: History,
        unit_id: int,
        assigned_at: dt.datetime,
        *,
        en_route_at: dt.datetime | None = None,
        on_scene_at: dt.datetime | None = None,
        released_at: dt.datetime | None = None,
    ) -> Assignment:
        """An assignment, then each step as an update (as the dispatch endpoints make them)."""
        with self.acting() as conn:
            row = conn.execute(
                "INSERT INTO assignments (incident_id, unit_id, assigned_at, assigned_by, geom)"
                " SELECT %s, %s, %s, %s, ST_PointOnSurface(geom) FROM incidents WHERE id = %s"
                " RETURNING id",
                (history.incident_id, unit_id, assigned_at, ACTOR.name, history.incident_id),
            ).fetchone()
            assert row is not None
            unit = conn.execute(
                "SELECT name, unit_type FROM units WHERE id = %s", (unit_id,)
            ).fetchone()
            assert unit is not None
        for status, column, at in (
            ("en_route", "en_route_at", en_route_at),
            ("on_scene", "on_scene_at", on_scene_at),
            ("released", "released_at", released_at),
        ):
            if at is None:
                continue
            with self.acting() as conn:
                conn.execute(
                    f"UPDATE assignments SET status = %s, {column} = %s WHERE id = %s",
                    (status, at, row["id"]),
                )
        made = Assignment(
            row["id"],
            unit_id,
            unit["name"],
            unit["unit_type"],
            assigned_at,
            en_route_at,
            on_scene_at,
            released_at,
        )
        history.assignments.append(made)
        return made

    def positions(self, unit_id: int, track: list[tuple[dt.datetime, float, float]]) -> None:
        """A batch of positions (one audit row, as the positions endpoint writes them)."""
        with self.acting() as conn:
            for month in sorted({at.date().replace(day=1) for at, _, _ in track}):
                conn.execute("SELECT unit_positions_partition(%s)", (month,))
            batch = conn.execute(
                "INSERT INTO audit_log (layer, operation, actor, actor_role)"
                " VALUES ('units', 'positions', %s, %s) RETURNING id",
                (ACTOR.name, ACTOR.role),
            ).fetchone()
            assert batch is not None
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO unit_positions (unit_id, at, audit_id, geom)"
                    " VALUES (%s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                    [(unit_id, at, batch["id"], lon, lat) for at, lon, lat in track],
                )

    def alert(
        self,
        subject: str,
        raised_at: dt.datetime,
        *,
        headline: str,
        acknowledged: tuple[dt.datetime, str] | None = None,
        lonlat: tuple[float, float] = (0.0, 0.0),
    ) -> int:
        """An alert as the rules raise it (written directly: no rule runs in these tests)."""
        with psycopg.connect(self.admin_url) as conn:
            row = conn.execute(
                "INSERT INTO alerts (rule, subject, status, event, severity, headline,"
                " raised_at, acknowledged_at, acknowledged_by, geom)"
                " VALUES ('incident_in_hazard_zone', %s, %s, 'Test', 'severe', %s, %s, %s, %s,"
                " ST_SetSRID(ST_MakePoint(%s, %s), 4326)) RETURNING id",
                (
                    subject,
                    "acknowledged" if acknowledged else "active",
                    headline,
                    raised_at,
                    acknowledged[0] if acknowledged else None,
                    acknowledged[1] if acknowledged else None,
                    *lonlat,
                ),
            ).fetchone()
        assert row is not None
        self.alerts.append(int(row[0]))
        return int(row[0])

    def close(self) -> None:
        with psycopg.connect(self.admin_url) as conn:
            conn.execute("DELETE FROM assignments WHERE unit_id = ANY(%s)", (self.units,))
            conn.execute("DELETE FROM assignments WHERE incident_id = ANY(%s)", (self.incidents,))
            conn.execute("DELETE FROM units WHERE id = ANY(%s)", (self.units,))
            conn.execute("DELETE FROM alerts WHERE id = ANY(%s)", (self.alerts,))


@contextmanager
def recorder(settings: Any, database_url: str, source: str) -> Iterator[Recorder]:
    from gisserver.db import database_url as url_for

    made = Recorder(url_for(settings, "edit"), database_url, source)
    try:
        yield made
    finally:
        made.close()
