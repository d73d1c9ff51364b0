"""The change feed: the events of migration 0008 (``events``), their listener (``hub``) and
the webhooks' deliveries (``webhooks``); no HTTP here (``gisserver.web.events`` serves it)."""
