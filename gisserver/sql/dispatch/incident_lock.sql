-- Incident %(incident)s, locked until the end of the transaction (its phase, where it is).
SELECT id, status, ST_AsBinary(ST_PointOnSurface(geom)) AS point
  FROM incidents
 WHERE id = %(incident)s
   FOR UPDATE
