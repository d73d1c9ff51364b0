"""The HTTP servers a run compares: ours, tipg, and pygeoapi with its stock PostgreSQL provider
(reading the ``bench_alt`` views, or creating incidents in the layer table itself).

Each listens on a free port of 127.0.0.1 with the same worker count and, like ``gisserver serve``
does, writes an access log line per request (to its log file), in its own process group, and
is stopped (SIGTERM, then SIGKILL) when the run ends, also on error or Ctrl-C. The alternatives are
installed from PyPI into their own virtualenvs under bench/cache/ so that their dependencies never
touch the project's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg
import yaml
from psycopg import sql

from gisserver.cluster import free_port
from gisserver.layers import load_layers
from gisserver.settings import Settings

WORKERS = 2
# Pinned so that a rerun compares against the same alternative.
TIPG_PACKAGES = ("tipg==1.6.1", "uvicorn==0.54.0")
STOCK_PYGEOAPI_PACKAGES = (
    "pygeoapi==0.21.0",
    "psycopg2-binary==2.9.13",
    "gunicorn==27.0.1",
    "geoalchemy2==0.20.0",
    "sqlalchemy==2.1.9",
)
# The schema of views holding only the public columns, read by tipg and the stock provider.
ALT_SCHEMA = "bench_alt"


class ServerFailed(RuntimeError):
    """A server did not come up; the message names it and points at its log."""


@dataclass
class Server:
    """A process serving HTTP on 127.0.0.1:port, started by this run."""

    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    ready_path: str
    log_file: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 90.0) -> Server:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_file.open("wb")
        self.process = subprocess.Popen(
            self.command,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() ends its workers too
            cwd=self.log_file.parent,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"{self.name} exited with {self.process.returncode}; {self._tail()}"
                )
            try:
                with urllib.request.urlopen(self.base_url + self.ready_path, timeout=5) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        self.stop()
        raise ServerFailed(
            f"{self.name} did not answer {self.ready_path} in {timeout:.0f} s; {self._tail()}"
        )

    def _tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").strip().splitlines()
        except OSError:
            lines = []
        return f"last log line: {lines[-1] if lines else '(none)'} (see {self.log_file})"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=15)


def ensure_venv(path: Path, packages: tuple[str, ...], *, install: bool = True) -> Path:
    """A virtualenv at ``path`` holding ``packages`` (installed once; a stamp records what).

    With ``install=False`` a missing or different one is a :class:`ServerFailed` instead.
    """
    stamp = path / "bench-packages.txt"
    wanted = "\n".join(packages) + "\n"
    if stamp.exists() and stamp.read_text() == wanted:
        return path
    if not install:
        raise ServerFailed(f"{path} does not hold {', '.join(packages)} (not installed here)")
    if not (path / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    subprocess.run(
        [str(path / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *packages],
        check=True,
    )
    stamp.write_text(wanted)
    return path


def ours(
    database_url: str, logs: Path, *, name: str = "gisserver", env: dict[str, str] | None = None
) -> Server:
    port = free_port()
    return Server(
        name=name,
        command=[
            str(Path(sys.executable).parent / "gisserver"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
        ],
        env={
            "DATABASE_URL": database_url,
            "GISSERVER_PUBLIC_URL": f"http://127.0.0.1:{port}",
            **(env or {}),
        },
        port=port,
        ready_path="/healthz",
        log_file=logs / f"{name}.log",
    )


def tipg(database_url: str, cache_dir: Path, logs: Path, *, install: bool = True) -> Server:
    venv = ensure_venv(cache_dir / "venv-tipg", TIPG_PACKAGES, install=install)
    port = free_port()
    return Server(
        name="tipg",
        command=[
            str(venv / "bin" / "uvicorn"),
            "tipg.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
        ],
        env={
            "DATABASE_URL": database_url,
            "TIPG_DB_SCHEMAS": f'["{ALT_SCHEMA}"]',
            "TIPG_DB_EXCLUDE_FUNCTION_SCHEMAS": '["public"]',
        },
        port=port,
        ready_path="/healthz",
        log_file=logs / "tipg.log",
    )


def stock_pygeoapi(
    database_url: str, cache_dir: Path, logs: Path, *, writes: bool = False, install: bool = True
) -> Server:
    """pygeoapi 0.21 with its stock ``PostgreSQL`` provider over the same views, under gunicorn;
    with ``writes``, a server of its own publishing the ``incidents`` table as editable (see
    :func:`stock_pygeoapi_config`)."""
    venv = ensure_venv(cache_dir / "venv-pygeoapi", STOCK_PYGEOAPI_PACKAGES, install=install)
    port = free_port()
    name = "pygeoapi-stock-writes" if writes else "pygeoapi-stock"
    logs.mkdir(parents=True, exist_ok=True)
    config = logs / f"{name}.yml"
    openapi = logs / f"{name}-openapi.yml"
    config.write_text(
        yaml.safe_dump(stock_pygeoapi_config(database_url, port, writes=writes), sort_keys=False)
    )
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [
            str(venv / "bin" / "pygeoapi"),
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(openapi),
        ],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return Server(
        name=name,
        command=[
            str(venv / "bin" / "gunicorn"),
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "pygeoapi.flask_app:APP",
        ],
        env=env,
        port=port,
        ready_path=f"/collections/{'incidents' if writes else 'shelters'}?f=json",
        log_file=logs / f"{name}.log",
    )


def stock_pygeoapi_config(database_url: str, port: int, *, writes: bool = False) -> dict:
    """The stock server's configuration: shelters and hazard zones read through the
    ``bench_alt`` views, or (``writes``) only ``incidents`` with transactions on (``editable``).

    The editable collection is the layer table itself, not a view: the provider's SQLAlchemy
    model must see the id as generated (an identity column) to take it back from the INSERT,
    which a view's column is not. Its ``storage_crs`` is EPSG:4326, as the table's SRID: with the
    default (CRS84, which has no EPSG code) the provider writes ``SRID=None;POINT(...)``, which
    PostGIS refuses.
    """
    url = urlsplit(database_url)
    data = {
        "host": url.hostname,
        "port": url.port or 5432,
        "dbname": url.path.lstrip("/"),
        "user": url.username,
        "password": unquote(url.password or ""),
        "search_path": [ALT_SCHEMA, "public"],
    }

    def resource(table: str, title: str) -> dict:
        return {
            "type": "collection",
            "title": title,
            "description": f"{title} (benchmark)",
            "keywords": ["benchmark"],
            "extents": {
                "spatial": {
                    "bbox": [-180, -90, 180, 90],
                    "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                }
            },
            "providers": [
                {
                    "type": "feature",
                    "name": "PostgreSQL",
                    "data": data,
                    "id_field": "id",
                    "table": table,
                    "geom_field": "geom",
                }
            ],
        }

    if writes:
        incidents = resource("incidents", "Incidents")
        incidents["providers"][0] |= {
            "data": data | {"search_path": ["public"]},
            "editable": True,
            "storage_crs": "http://www.opengis.net/def/crs/EPSG/0/4326",
        }
        resources = {"incidents": incidents}
    else:
        resources = {
            "shelters": resource("shelters", "Shelters"),
            "hazard_zones": resource("hazard_zones", "Hazard zones"),
        }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "stock pygeoapi (benchmark)",
                "description": "pygeoapi's PostgreSQL provider over the benchmark data",
                "keywords": ["benchmark"],
                "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
                "url": "https://example.org",
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "benchmark", "url": "https://example.org"},
            "contact": {"name": "benchmark"},
        },
        "resources": resources,
    }


def create_alternative_views(conn: psycopg.Connection[Any], tables: tuple[str, ...]) -> None:
    """Views ``bench_alt.<table>`` with the id, the layer's public fields and the geometry.

    tipg and the stock provider publish every column they find; these views give them the same
    columns our layers publish (not ``properties`` or the load bookkeeping), over the same tables.
    """
    layers = load_layers(Settings().layers_dir)
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(ALT_SCHEMA)))
    for table in tables:
        columns = ["id", *layers[table].public_fields, "geom"]
        conn.execute(
            sql.SQL("CREATE OR REPLACE VIEW {} AS SELECT {} FROM {}").format(
                sql.Identifier(ALT_SCHEMA, table),
                sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                sql.Identifier("public", table),
            )
        )
