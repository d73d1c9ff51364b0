"""A benchmark run's surroundings: data, its own PostGIS, the servers it started, the machine."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg

from bench import servers
from bench.data import Dataset, Size
from gisserver import migrations
from gisserver.cluster import PrivateCluster, free_port
from gisserver.settings import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "bench"
DEFAULT_CACHE = BENCH_DIR / "cache"


@dataclass
class BenchRun:
    """Everything a scenario needs; servers are started on first use and all stopped by close()."""

    size: Size
    dataset: Dataset
    cache_dir: Path
    cluster: PrivateCluster
    duration_s: int
    logs: Path
    loads: dict[str, Any] = field(default_factory=dict)  # the ETL's measurements, see bench.etl
    # False: an alternative whose virtualenv is not there yet is not available (the tests).
    install_alternatives: bool = True
    notes: list[str] = field(default_factory=list)  # caveats scenarios want in the report
    _servers: dict[str, servers.Server] = field(default_factory=dict)
    _server_errors: dict[str, str] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return self.cluster.url()

    def connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(self.database_url, **kwargs)

    def pg_env(self) -> dict[str, str]:
        """libpq environment for command-line tools (the password stays out of argv)."""
        url = urlsplit(self.database_url)
        return {
            "PGHOST": url.hostname or "127.0.0.1",
            "PGPORT": str(url.port or 5432),
            "PGUSER": unquote(url.username or ""),
            "PGPASSWORD": unquote(url.password or ""),
            "PGDATABASE": url.path.lstrip("/"),
        }

    def server(self, name: str) -> servers.Server:
        """The running server ``name``, started on first use: ``gisserver`` (its low-zoom tile
        cache off, so that every tile is rendered as the raw SQL is), ``gisserver-tile-cache``
        (default settings), ``tipg``, ``pygeoapi-stock``, ``pygeoapi-stock-writes`` (incidents,
        editable).

        A server that failed to start once is not retried; the error is raised again. One that
        was stopped from outside (the machine is shared) is started again, and the report says so.
        """
        if name in self._servers:
            running = self._servers[name]
            if running.process is not None and running.process.poll() is None:
                return running
            when = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
            self.notes.append(
                f"{name} was stopped by something outside the harness (exit status "
                f"{running.process.returncode if running.process else '?'}) and was started "
                f"again at {when} UTC; requests in flight then were counted as errors."
            )
            del self._servers[name]
        if name in self._server_errors:
            raise servers.ServerFailed(self._server_errors[name])
        factories: dict[str, Callable[[], servers.Server]] = {
            "gisserver": lambda: servers.ours(
                self.database_url, self.logs, env={"GISSERVER_TILES_CACHE_MB": "0"}
            ),
            "gisserver-tile-cache": lambda: servers.ours(
                self.database_url, self.logs, name="gisserver-tile-cache"
            ),
            "tipg": lambda: servers.tipg(
                self.database_url, self.cache_dir, self.logs, install=self.install_alternatives
            ),
            "pygeoapi-stock": lambda: servers.stock_pygeoapi(
                self.database_url, self.cache_dir, self.logs, install=self.install_alternatives
            ),
            "pygeoapi-stock-writes": lambda: servers.stock_pygeoapi(
                self.database_url,
                self.cache_dir,
                self.logs,
                writes=True,
                install=self.install_alternatives,
            ),
        }
        try:
            server = factories[name]()
            self._servers[name] = server
            server.start()
        except Exception as exc:
            self._servers.pop(name, None)
            self._server_errors[name] = f"{name} could not be started: {exc}"
            raise servers.ServerFailed(self._server_errors[name]) from exc
        return server

    def stop_servers(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._servers.clear()

    def close(self) -> None:
        try:
            self.stop_servers()
        finally:
            self.cluster.destroy()


def open_run(size: Size, dataset: Dataset, cache_dir: Path, duration_s: int) -> BenchRun:
    """A fresh throwaway PostGIS under ``cache_dir``, migrated to the project's schema."""
    root = cache_dir / "pg"
    if root.exists():
        # A previous run that was killed hard: its cluster is ours to remove.
        PrivateCluster(root=root, port=free_port()).destroy()
    cluster = PrivateCluster(root=root, port=free_port())
    cluster.start()
    run = BenchRun(size, dataset, cache_dir, cluster, duration_s, cache_dir / "logs")
    try:
        with run.connect(autocommit=True) as conn:
            # Benchmark data only: a crash loses nothing worth the fsync cost of the loads.
            conn.execute("ALTER SYSTEM SET synchronous_commit = off")
            conn.execute("SELECT pg_reload_conf()")
        migrations.upgrade(run.database_url)
    except BaseException:
        cluster.destroy()
        raise
    return run


def machine_description(run: BenchRun | None) -> dict[str, str]:
    """CPU, cores, memory, OS, PostgreSQL/PostGIS versions, date and the commit measured."""
    info: dict[str, str] = {}
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["CPU"] = cpu
    info["cores"] = str(os.cpu_count())
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        info["RAM"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        info["RAM"] = "unknown"
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"') + f" (kernel {platform.release()})"
    except OSError:
        pass
    info["OS"] = os_name
    info["Python"] = platform.python_version()
    if run is not None:
        with run.connect() as conn:
            row = conn.execute("SELECT version(), postgis_full_version()").fetchone()
        if row:
            info["PostgreSQL"] = str(row[0]).split(" on ")[0]
            info["PostGIS"] = " ".join(str(row[1]).split()[:2]).replace('"', "")
    info["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        info["commit"] = commit
    except (OSError, subprocess.CalledProcessError):
        pass
    return info
