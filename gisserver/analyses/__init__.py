"""The three analyses of the first hour: risk areas, nearest resources, affected population.

One function per question (``nearest.nearest_resources``, ``risk.risk_areas``,
``risk.zones_at_point``, ``population.affected_population``, ``situation.situation``), called by
the JSON endpoints, the OGC API processes and the CLI alike.
"""
