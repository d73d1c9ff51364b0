"""``gisserver serve``: gunicorn by default, Flask's reloader with ``--dev``."""

from __future__ import annotations

from typing import Any

import click

from gisserver.cli.options import settings_of
from gisserver.errors import GisServerError


@click.command()
@click.option("--host", default=None, help="address to listen on [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help="port to listen on [default: 5000]")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="threads per worker: a request waiting on PostgreSQL lets another one run",
)
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader")
def serve(host: str | None, port: int | None, workers: int, threads: int, dev: bool) -> None:
    """Serve the OGC APIs, the analyses and the styles over HTTP until Ctrl-C."""
    from gisserver.cluster import port_is_free

    settings = settings_of()
    host = host or settings.host
    port = port or settings.port
    if not port_is_free(port, host):
        raise GisServerError(
            f"port {port} on {host} is already in use; stop what runs there or pass --port "
            f"(e.g. 'gisserver serve --port {port + 1}', or 'make demo PORT={port + 1}')"
        )
    if settings.public_url is None:
        settings = settings.model_copy(update={"public_url": f"http://{host}:{port}"})
    if settings.token_secret is None:  # one secret for every worker: a token works on any
        import secrets

        settings = settings.model_copy(update={"token_secret": secrets.token_urlsafe(32)})

    from gisserver.app import create_app

    if dev:
        create_app(settings).run(host=host, port=port, debug=True, use_reloader=True)
        return

    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                # An open event stream holds a thread: each worker has `threads` for requests
                # and up to GISSERVER_EVENTS_MAX_STREAMS more for streams (made when needed).
                "threads": threads + settings.events_max_streams,
                "worker_class": "gthread",
                "post_worker_init": _close_streams_on_term,
                "accesslog": "-",
                # A worker that stops answering its arbiter for this long is replaced; a request
                # is bounded by PostgreSQL's statement timeout (30 s) well before that.
                "timeout": 60,
                "graceful_timeout": 30,
                # Workers are renewed now and then (a leak cannot grow for ever), not all at once.
                "max_requests": 20_000,
                "max_requests_jitter": 2_000,
                # Request lines and headers stay small (a URL with a CQL2 filter fits in 8 KB).
                "limit_request_line": 8190,
                "limit_request_fields": 100,
                "limit_request_field_size": 8190,
                "keepalive": 5,
                # gunicorn's control socket has one default path for every instance: off.
                "control_socket_disable": True,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app(settings)

    def _close_streams_on_term(worker: Any) -> None:
        """On SIGTERM, Ctrl-C or SIGQUIT, end the worker's event streams at once (else the
        worker waits for each stream's next heartbeat, or its graceful timeout)."""
        import signal

        from gisserver.feed.hub import close_all

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):  # stop, Ctrl-C, quit
            stop = signal.getsignal(signum)

            def _stop(signum: int, frame: Any, stop: Any = stop) -> None:
                close_all()
                if callable(stop):
                    stop(signum, frame)

            signal.signal(signum, _stop)

    click.echo(f"serving on http://{host}:{port} (OGC API at /ogc); Ctrl-C stops")
    _Gunicorn().run()
