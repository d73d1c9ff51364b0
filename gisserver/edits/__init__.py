"""Changes to the live record: features written over OGC API - Features Part 4 and stock moves.

No HTTP here (the web surfaces in ``gisserver.ogc`` and ``gisserver.web`` call these): each
write checks its input against the layer's declaration (``layers/*.yaml``) with the ETL's own
rules, runs in one transaction on the edit role's connection, and names its actor
(``gisserver.audit.act_as``) so that the database's triggers record it in the audit trail and
the history.
"""
