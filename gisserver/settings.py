"""Settings from the environment (prefix ``GISSERVER_``, plus the conventional ``DATABASE_URL``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything configurable, in one place.

    Without ``DATABASE_URL`` the project's own PostGIS cluster in ``data_dir`` is used.
    """

    model_config = SettingsConfigDict(env_prefix="GISSERVER_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "GISSERVER_DATABASE_URL"),
        description="PostgreSQL URL; unset means the private cluster in data_dir",
    )
    read_database_url: str | None = Field(
        default=None,
        description="the web tier's read-only role (member of gisserver_read); unset: the "
        "private cluster's gisserver_web, else DATABASE_URL",
    )
    write_database_url: str | None = Field(
        default=None,
        description="the ETL's writer role (member of gisserver_write); unset: the private "
        "cluster's gisserver_etl, else DATABASE_URL",
    )
    edit_database_url: str | None = Field(
        default=None,
        description="the web tier's role for API writes (member of gisserver_edit); unset: the "
        "private cluster's gisserver_api, else DATABASE_URL",
    )
    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="private cluster, reports")
    pg_port: int = Field(default=54315, ge=1024, le=65535, description="private cluster port")
    pg_bin_dir: Path = Path("/usr/lib/postgresql/15/bin")

    layers_dir: Path = PROJECT_ROOT / "layers"
    styles_dir: Path = PROJECT_ROOT / "styles"

    host: str = "127.0.0.1"
    port: int = Field(default=5000, ge=1, le=65535)
    public_url: str | None = Field(
        default=None, description="base URL clients see, e.g. https://gis.example.org"
    )
    pool_min_size: int = Field(default=1, ge=0)
    pool_max_size: int = Field(default=8, ge=1)
    statement_timeout_ms: int = Field(default=30_000, ge=0)

    features_default_limit: int = Field(default=10, ge=1)
    features_max_limit: int = Field(default=10_000, ge=1)
    exact_count_threshold: int = Field(
        default=100_000,
        ge=0,
        description="above this many rows (planner estimate) numberMatched is an estimate",
    )
    cors_origins: str = Field(
        default="*",
        description="origins whose pages may read (GET, HEAD): * or a comma-separated list",
    )
    cors_write_origins: str = Field(
        default="",
        description=(
            "origins whose pages may send POST, PUT, PATCH and DELETE: a comma-separated list "
            "(or *); none by default"
        ),
    )
    reads_require_key: bool = Field(
        default=False,
        description="every request needs an API key, reads too (health probes excepted)",
    )
    require_if_match: bool = Field(
        default=False,
        description="PUT, PATCH and DELETE of a feature need If-Match (428 without it); else a "
        "change without it is accepted and its audit row says so (if_match null)",
    )
    token_secret: str | None = Field(
        default=None,
        description="the key that signs the event stream's short-lived tokens; every server "
        "behind one load balancer needs the same (unset: 'gisserver serve' makes one per start)",
    )
    events_heartbeat_seconds: float = Field(
        default=15.0, gt=0, le=20, description="a comment on an idle event stream this often"
    )
    events_max_streams: int = Field(
        default=256,
        ge=1,
        le=4096,
        description="open event streams per server process (more: 503 with Retry-After)",
    )
    max_body_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=1024,
        description="largest request body accepted (413 above it)",
    )

    tiles_cache_mb: int = Field(
        default=64, ge=0, description="low-zoom tile cache per process; 0 turns it off"
    )
    tiles_cache_max_zoom: int = Field(
        default=10, ge=-1, le=22, description="tiles up to this zoom are cached"
    )

    # Webhooks and the worker
    webhook_allowed_networks: str = Field(
        default="",
        description="addresses webhooks may be delivered to although they are not public "
        "(loopback, private, link-local...): a comma-separated list of CIDRs or addresses, e.g. "
        "'10.20.0.0/16,127.0.0.1'; empty: public addresses only; '0.0.0.0/0,::/0': any address",
    )
    webhook_backoff_seconds: float = Field(
        default=10.0, gt=0, description="the delay before a failed delivery's first retry"
    )
    webhook_backoff_max_seconds: float = Field(
        default=3600.0, gt=0, description="the longest delay between retries (it doubles up to it)"
    )
    webhook_retry_hours: float = Field(
        default=25.0,
        gt=0,
        description="a subscription failing for longer than this is suspended (its events kept)",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="the longest a delivery may take, all included"
    )
    webhook_connect_timeout_seconds: float = Field(
        default=5.0, gt=0, le=60, description="the longest a delivery may wait to connect"
    )
    webhook_threads: int = Field(
        default=4, ge=1, le=64, description="subscriptions delivered to at once by the worker"
    )
    worker_tick_seconds: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description="how often the worker runs its periodic work (retries due, the alert rules' "
        "timers) besides waking on every new event",
    )

    # Alert rules
    alert_first_check_seconds: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="the longest the worker spends checking every rule on the existing data "
        "when it starts (beyond: only changes and the clock raise alerts)",
    )
    alert_sweep_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="how often the worker re-checks every alert rule on the clock (a camera "
        "silent for N minutes, stock expiring in N days); changes are checked as they commit",
    )
    alert_events_per_transaction: int = Field(
        default=500,
        ge=1,
        le=1000,
        description="the alert rules read at most this many events of the feed per transaction "
        "(the alerts they write and the rules' cursor commit together)",
    )

    # CAP
    cap_sender: str = Field(
        default="gisserver@localhost",
        pattern=r"^[^\s,<&]+$",
        description="the sender of the CAP messages written (no spaces, commas, < or &)",
    )
    cap_polygon_tolerance_m: float = Field(
        default=10.0,
        gt=0.15,
        le=10_000,
        description="a CAP polygon written is within this many metres of the alert's outline",
    )
    cap_polygon_max_points: int = Field(
        default=100, ge=4, le=10_000, description="points of a CAP polygon written, at most"
    )
    cap_point_radius_km: float = Field(
        default=0.5,
        ge=0,
        le=1000,
        description="radius of the CAP circle written for an alert located by a point",
    )

    # Command and dispatch
    dispatch_speed_kmh: float = Field(
        default=40.0,
        gt=0,
        le=300,
        description="the speed a unit is assumed to cover the straight line to an incident at "
        "(the ETA of a recommendation, until the road network answers)",
    )
    positions_per_request: int = Field(
        default=10_000,
        ge=1,
        le=100_000,
        description="the most positions one POST /api/units/positions may carry",
    )
    positions_max_age_hours: float = Field(
        default=168.0,
        gt=0,
        le=24 * 366,
        description="a position older than this is refused (a device's stale backlog)",
    )
    positions_max_ahead_seconds: float = Field(
        default=120.0,
        ge=0,
        le=3600,
        description="a position this far ahead of the server's clock is still accepted (device "
        "clocks drift); beyond, it is refused",
    )
    # Read replicas (docs/scale.md)
    read_replicas: str | None = Field(
        default=None,
        description="read replicas' URLs (the read role's), comma-separated: read-only "
        "statements are spread over them; writes, the feed and migrations stay on the primary",
    )
    replica_max_lag_s: float = Field(
        default=5.0,
        gt=0,
        le=3600,
        description="a replica further behind the primary than this leaves the rotation (and "
        "comes back when it has caught up)",
    )
    read_your_writes_s: float = Field(
        default=10.0,
        ge=0,
        le=3600,
        description="for this long after a write, its client reads only what has replayed its "
        "write (a replica that has, else the primary)",
    )

    # The web map
    basemap_url: str | None = Field(
        default=None,
        description="an external raster basemap (XYZ template https://.../{z}/{x}/{y}.png) drawn "
        "under the project's own offline basemap; unset: offline only",
    )

    # Drive time (the road network)
    routing_profile: Path | None = Field(
        default=None,
        description="a routing profile YAML replacing the bundled one "
        "(gisserver/routing/profile.yaml: speeds per road class, what hazard zones do to roads)",
    )
    road_speeds_kmh: str | None = Field(
        default=None,
        description="speeds overriding the profile's, per road class: 'primary=50,residential=25'",
    )
    route_max_snap_m: float = Field(
        default=500.0,
        gt=0,
        le=50_000,
        description="a point farther than this from every routable road is refused (422)",
    )
    arrival_radius_m: float = Field(
        default=100.0,
        gt=0,
        le=5000,
        description="a unit sent to an incident is on scene when a position within this many "
        "metres of the incident arrives",
    )

    # The road network
    road_snap_tolerance_m: float = Field(
        default=1.0,
        gt=0,
        le=100,
        description="segment ends within this many metres of each other are one junction of "
        "the road network (built when roads are loaded)",
    )
