-- The available units able to help at incident %(incident)s, nearest first by geodesic distance
-- (WGS84 spheroid) from the incident's point on surface: with %(capability)s among their
-- capabilities (NULL: any), of %(unit_type)s (NULL: any), not inside a hazard zone in force at
-- %(at)s (a unit on a zone's boundary is inside). Every able unit is measured exactly (1,000 in
-- about a millisecond), then walked nearest first, its zones checked until %(k)s are found: a
-- unit far down the list is never checked against the zones.
WITH target AS (
    SELECT i.id, i.status, ST_PointOnSurface(i.geom) AS g
      FROM incidents AS i
     WHERE i.id = %(incident)s
), ranked AS MATERIALIZED (
    SELECT u.id, u.name, u.unit_type, u.capabilities, u.home_station, u.status, u.position_at,
           u.geom, ST_Distance(u.geom::geography, t.g::geography) AS distance_m
      FROM target AS t
      JOIN units AS u
        ON u.status = 'available'
       AND (%(capability)s::text IS NULL OR u.capabilities @> ARRAY[%(capability)s::text])
       AND (%(unit_type)s::text IS NULL OR u.unit_type = %(unit_type)s::text)
     ORDER BY distance_m, u.id
)
SELECT t.id AS incident_id, t.status AS incident_status,
       ST_X(t.g) AS incident_lon, ST_Y(t.g) AS incident_lat,
       r.id, r.name, r.unit_type, r.capabilities, r.home_station, r.status, r.position_at,
       ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.distance_m
  FROM target AS t
  LEFT JOIN LATERAL (
      -- filtered in that order (OFFSET 0 keeps the sort below the filter): LIMIT stops the walk
      SELECT * FROM (SELECT * FROM ranked ORDER BY distance_m, id OFFSET 0) AS r
       WHERE NOT EXISTS (
           SELECT 1 FROM hazard_zones AS z
            WHERE ST_Intersects(z.geom, r.geom)
              AND (z.valid_from IS NULL OR z.valid_from <= %(at)s)
              AND (z.valid_to IS NULL OR z.valid_to > %(at)s))
       LIMIT %(k)s
  ) AS r ON true
 ORDER BY r.distance_m, r.id
