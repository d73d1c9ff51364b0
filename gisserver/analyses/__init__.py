"""The three analyses of the first hour: risk areas, nearest resources, affected population.

Issue #5 fills this in: one function per question, called by the JSON endpoints, the OGC API
processes and the CLI alike.
"""
