-- Raise an alert unless one of the same rule and subject is still open (alerts_one_open_idx).
INSERT INTO alerts (rule, subject, event, severity, urgency, certainty, headline, description,
                    instruction, details, expires, geom)
VALUES (%(rule)s, %(subject)s, %(event)s, %(severity)s, %(urgency)s, %(certainty)s,
        %(headline)s, %(description)s, %(instruction)s, %(details)s, %(expires)s::timestamptz,
        ST_SetSRID(ST_GeomFromWKB(%(wkb)s), 4326))
ON CONFLICT (rule, subject) WHERE status <> 'resolved' DO NOTHING
RETURNING id
