"""The HTTP surfaces that are ours (``/api``, ``/styles``, ``/map``, health) and the HTTP
behaviour every surface shares (``http``: ETag/304, gzip, CORS; ``auth``: keys and roles).

Nothing here is imported by the analyses, the ETL or the database layer.
"""
