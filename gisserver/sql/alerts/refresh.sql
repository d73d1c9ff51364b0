-- What an open alert says, when what it is about changed while the condition still holds (a
-- note its acknowledgement added is kept).
UPDATE alerts
   SET severity = %(severity)s, event = %(event)s, urgency = %(urgency)s,
       certainty = %(certainty)s, headline = %(headline)s, description = %(description)s,
       instruction = %(instruction)s, expires = %(expires)s::timestamptz,
       details = %(details)s::jsonb
                 || jsonb_strip_nulls(jsonb_build_object('acknowledgement_note',
                                                         details -> 'acknowledgement_note')),
       geom = ST_SetSRID(ST_GeomFromWKB(%(wkb)s), 4326)
 WHERE id = %(id)s AND status <> 'resolved'
