COPY unit_positions (unit_id, at, audit_id, speed, heading, geom) FROM STDIN
