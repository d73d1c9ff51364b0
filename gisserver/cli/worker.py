"""``gisserver worker``: the process that delivers webhooks (and runs the feed's other
consumers) until SIGTERM or Ctrl-C."""

from __future__ import annotations

import click

from gisserver.cli.options import quiet_of, settings_of


@click.command()
def worker() -> None:
    """Evaluate the alert rules and deliver the change feed to webhooks (one active worker per
    database; others stand by)."""
    import logging
    import signal
    import threading

    from gisserver import worker as process
    from gisserver.alerts import engine

    settings = settings_of()
    if not quiet_of():  # a daemon's changes of state (active, standby, outage) are always told
        for told in (process.__name__, engine.__name__):  # and the alert rules' first check
            logging.getLogger(told).setLevel(min(logging.INFO, logging.root.level))
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        click.echo(f"worker: {signal.Signals(signum).name}: stopping", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    click.echo("worker: starting; SIGTERM or Ctrl-C stops", err=True)
    process.run(settings, stop)
