"""The project's own PostgreSQL + PostGIS cluster (the embedded default).

``gisserver db start`` creates it on first use in ``<data_dir>/pg`` and starts it on a port of its
own, listening on 127.0.0.1 only, with a generated password stored beside it (mode 600).
PostgreSQL refuses to run as root; as root, its commands run as the ``postgres`` system user with
the ``dac_override`` capability (``setpriv``) so that it can reach a data directory under any
checkout: the way round measured on this machine (docs/architecture.md, "Running PostgreSQL").
"""

from __future__ import annotations

import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql

from gisserver.errors import ClusterError
from gisserver.roles import ensure_login_role

log = logging.getLogger(__name__)

SERVICE_USER = "postgres"
DB_NAME = "gisserver"
DB_USER = "gisserver"
# Login roles of the private cluster besides its superuser (DB_USER, for migrations only), by
# purpose; gisserver.roles makes each a member of its group (gisserver_read, gisserver_write,
# gisserver_edit).
LOGIN_ROLES = {"read": "gisserver_web", "write": "gisserver_etl", "edit": "gisserver_api"}


def _run_as_service_user() -> list[str]:
    """The command prefix that runs PostgreSQL binaries as a non-root user when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError as exc:
        raise ClusterError(
            f"running as root but there is no '{SERVICE_USER}' system user to run PostgreSQL; "
            "install the postgresql package (make setup does) or run as a normal user"
        ) from exc
    return [
        "setpriv",
        f"--reuid={SERVICE_USER}",
        f"--regid={SERVICE_USER}",
        "--clear-groups",
        "--inh-caps=+dac_override",
        "--ambient-caps=+dac_override",
    ]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class PrivateCluster:
    """A PostgreSQL cluster in ``root`` (a directory the project owns) on ``port``."""

    root: Path
    port: int
    bin_dir: Path = Path("/usr/lib/postgresql/15/bin")

    @property
    def pgdata(self) -> Path:
        return self.root / "data"

    @property
    def password_file(self) -> Path:
        return self.root / "password"

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"

    @staticmethod
    def remembered_port(root: Path) -> int | None:
        """The port the cluster in root was last started on, if any."""
        try:
            return int((root / "port").read_text().strip())
        except (OSError, ValueError):
            return None

    def role_password_file(self, purpose: str) -> Path:
        return self.root / f"password-{LOGIN_ROLES[purpose]}"

    def url(self, purpose: str = "admin") -> str:
        """The URL of the superuser ("admin": migrations, backups), of the web tier's read-only
        role ("read"), of the ETL's writer role ("write") or of the API writes' role ("edit")."""
        if purpose == "admin":
            user, password_file = DB_USER, self.password_file
        else:
            user, password_file = LOGIN_ROLES[purpose], self.role_password_file(purpose)
        password = password_file.read_text().strip()
        return f"postgresql://{user}:{quote(password)}@127.0.0.1:{self.port}/{DB_NAME}"

    def is_initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists() and self.password_file.exists()

    def _pg(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        exe = self.bin_dir / tool
        if not exe.exists():
            raise ClusterError(
                f"PostgreSQL binary {exe} not found; install PostgreSQL 15 (make setup does) "
                "or set GISSERVER_PG_BIN_DIR, or set DATABASE_URL to use an existing database"
            )
        cmd = [*_run_as_service_user(), str(exe), *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise ClusterError(
                f"{tool} failed ({proc.returncode}): {detail[-1] if detail else 'no output'}; "
                f"see {self.log_file}"
            )
        return proc

    def init(self) -> bool:
        """Create the cluster if it does not exist. Returns True when it was created."""
        if self.is_initialised():
            return False
        if self.pgdata.exists() and any(self.pgdata.iterdir()):
            raise ClusterError(
                f"{self.pgdata} exists but holds no complete cluster; move it away to start afresh"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        password = secrets.token_urlsafe(24)
        self.password_file.write_text(password + "\n")
        self.password_file.chmod(0o600)
        pwfile = self.root / ".initdb-pw"
        pwfile.write_text(password + "\n")
        try:
            if os.geteuid() == 0:
                user = pwd.getpwnam(SERVICE_USER)
                os.chown(self.pgdata, user.pw_uid, user.pw_gid)
                os.chown(pwfile, user.pw_uid, user.pw_gid)
            self._pg(
                "initdb",
                "-D",
                str(self.pgdata),
                "-U",
                DB_USER,
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                f"--pwfile={pwfile}",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
        except Exception:
            self.password_file.unlink(missing_ok=True)
            raise
        finally:
            pwfile.unlink(missing_ok=True)
        conf = self.pgdata / "postgresql.auto.conf"
        with conf.open("a") as fh:
            fh.write(
                "# written by gisserver: loopback only, no unix socket, a port of its own\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                "unix_socket_directories = ''\n"
                "max_connections = 100\n"
                "shared_buffers = '256MB'\n"
                "work_mem = '32MB'\n"
                "maintenance_work_mem = '256MB'\n"
                "fsync = on\n"
                "logging_collector = off\n"
            )
        log.info("created PostgreSQL cluster in %s", self.pgdata)
        return True

    def is_running(self) -> bool:
        if not (self.pgdata / "PG_VERSION").exists():
            return False
        return self._pg("pg_ctl", "status", "-D", str(self.pgdata), check=False).returncode == 0

    def _clear_stale_pid(self) -> None:
        """Remove a postmaster.pid left by a crash whose process is gone (or is not postgres)."""
        pidfile = self.pgdata / "postmaster.pid"
        if not pidfile.exists():
            return
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (ValueError, IndexError, OSError):
            pid = -1
        cmdline = Path(f"/proc/{pid}/cmdline")
        alive = pid > 0 and cmdline.exists() and b"postgres" in cmdline.read_bytes()
        if not alive:
            log.warning("removing stale %s (process %s is gone)", pidfile, pid)
            pidfile.unlink(missing_ok=True)

    def start(self) -> None:
        """Create if needed, start if stopped, and make sure the database exists."""
        self.init()
        if not self.is_running():
            self._clear_stale_pid()
            if not port_is_free(self.port):
                raise ClusterError(
                    f"port {self.port} on 127.0.0.1 is taken by another program; set "
                    "GISSERVER_PG_PORT to a free port (the cluster listens there from then on)"
                )
            self._set_port()
            (self.root / "port").write_text(f"{self.port}\n")
            self._pg(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                "120",
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log_file),
            )
        self._ensure_database()

    def _set_port(self) -> None:
        conf = self.pgdata / "postgresql.auto.conf"
        lines = [ln for ln in conf.read_text().splitlines() if not ln.startswith("port = ")]
        lines.append(f"port = {self.port}")
        conf.write_text("\n".join(lines) + "\n")

    def _ensure_database(self) -> None:
        password = self.password_file.read_text().strip()
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = psycopg.connect(
                    host="127.0.0.1",
                    port=self.port,
                    user=DB_USER,
                    password=password,
                    dbname="postgres",
                    autocommit=True,
                    connect_timeout=5,
                )
                break
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise ClusterError(f"cluster started but refuses connections: {exc}") from exc
                time.sleep(0.3)
        with conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
            self._ensure_login_roles(conn)

    def _ensure_login_roles(self, conn: psycopg.Connection[Any]) -> None:
        """The web and ETL login roles, each with a generated password kept beside the
        cluster (mode 600); their privileges come with the groups (sql/roles/grants.sql)."""
        for purpose, role in LOGIN_ROLES.items():
            path = self.role_password_file(purpose)
            if not path.exists():
                path.write_text(secrets.token_urlsafe(24) + "\n")
                path.chmod(0o600)
            ensure_login_role(conn, role, path.read_text().strip(), purpose)

    def stop(self) -> bool:
        """Stop the cluster if it runs. Returns True when it was running."""
        if not self.is_running():
            return False
        self._pg("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.pgdata))
        return True

    def replica_root(self, port: int) -> Path:
        """Where the replica of this cluster on ``port`` lives (beside it)."""
        return self.root.parent / f"{self.root.name}-replica-{port}"

    def create_replica(self, port: int) -> PrivateCluster:
        """A streaming replica of this (running) cluster on ``port``, made with
        ``pg_basebackup -R`` and started: a hot standby serving reads, with the same roles and
        passwords (kept beside it). Created once; later calls start it if it is stopped."""
        replica = PrivateCluster(self.replica_root(port), port, self.bin_dir)
        if not replica.is_initialised():
            if not self.is_running():
                raise ClusterError(f"the cluster in {self.root} is not running; start it first")
            if not port_is_free(port):
                raise ClusterError(f"port {port} on 127.0.0.1 is taken; choose another")
            replica.root.mkdir(parents=True, exist_ok=True)
            replica.pgdata.mkdir(mode=0o700, exist_ok=True)
            if os.geteuid() == 0:
                user = pwd.getpwnam(SERVICE_USER)
                os.chown(replica.pgdata, user.pw_uid, user.pw_gid)
            password = self.password_file.read_text().strip()
            env = {**os.environ, "PGPASSWORD": password}
            cmd = [
                *_run_as_service_user(),
                str(self.bin_dir / "pg_basebackup"),
                "-h", "127.0.0.1", "-p", str(self.port), "-U", DB_USER,
                "-D", str(replica.pgdata), "-R", "-X", "stream", "-c", "fast",
            ]  # fmt: skip
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
            if proc.returncode != 0:
                shutil.rmtree(replica.root, ignore_errors=True)
                detail = (proc.stderr or proc.stdout).strip().splitlines()
                raise ClusterError(
                    f"pg_basebackup failed ({proc.returncode}): "
                    f"{detail[-1] if detail else 'no output'}"
                )
            for secret in (self.password_file, *self.root.glob("password-*")):
                copy = replica.root / secret.name
                copy.write_text(secret.read_text())
                copy.chmod(0o600)
        if not replica.is_running():
            replica._clear_stale_pid()
            replica._set_port()
            (replica.root / "port").write_text(f"{port}\n")
            replica._pg(
                "pg_ctl", "start", "-w", "-t", "120",
                "-D", str(replica.pgdata), "-l", str(replica.log_file),
            )  # fmt: skip
        return replica

    def destroy(self) -> None:
        """Stop and delete the cluster (used for throwaway test clusters)."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
