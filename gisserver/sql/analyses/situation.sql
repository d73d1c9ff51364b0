-- The situation at a glance, inside a bounding box (the whole world when none is given): counts
-- per layer and status, shelter places, unexpired stock per item, open incidents by type and
-- severity, and the hazard zones in force. One round trip, one JSON document.
-- Parameters: minx, miny, maxx, maxy (WGS84 degrees), at (timestamptz: "in force" and "open"
-- are judged at this time), today (date: stock expiring before it is expired).
WITH area AS MATERIALIZED (
    SELECT ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, 4326) AS geom
),
sh AS MATERIALIZED (
    SELECT s.status, s.capacity, s.occupancy
    FROM shelters AS s, area AS a
    WHERE s.geom && a.geom AND ST_Intersects(a.geom, s.geom)
),
sp AS MATERIALIZED (
    SELECT p.id, p.status
    FROM stockpiles AS p, area AS a
    WHERE p.geom && a.geom AND ST_Intersects(a.geom, p.geom)
),
ca AS MATERIALIZED (
    SELECT c.status
    FROM cameras AS c, area AS a
    WHERE c.geom && a.geom AND ST_Intersects(a.geom, c.geom)
),
inc AS MATERIALIZED (
    SELECT i.status, i.incident_type, i.severity,
           severity_rank(i.severity) AS severity_rank
    FROM incidents AS i, area AS a
    WHERE i.geom && a.geom AND ST_Intersects(a.geom, i.geom) AND i.reported_at <= %(at)s
),
hz AS MATERIALIZED (
    SELECT z.hazard_type, z.severity,
           severity_rank(z.severity) AS severity_rank,
           (z.valid_from IS NULL OR z.valid_from <= %(at)s)
           AND (z.valid_to IS NULL OR z.valid_to > %(at)s) AS in_force
    FROM hazard_zones AS z, area AS a
    WHERE z.geom && a.geom AND ST_Intersects(a.geom, z.geom)
),
stock AS (
    SELECT i.item, i.unit,
           sum(i.quantity) FILTER (WHERE i.expires_on IS NULL OR i.expires_on >= %(today)s)
               AS quantity,
           sum(i.quantity) FILTER (WHERE i.expires_on < %(today)s) AS expired_quantity,
           count(DISTINCT i.stockpile_id)
               FILTER (WHERE i.expires_on IS NULL OR i.expires_on >= %(today)s) AS stockpiles
    FROM stockpile_items AS i JOIN sp ON sp.id = i.stockpile_id
    GROUP BY i.item, i.unit
)
SELECT json_build_object(
    'layers', json_build_object(
        'shelters', json_build_object(
            'total', (SELECT count(*) FROM sh),
            'by_status', (SELECT coalesce(json_object_agg(status, n ORDER BY status), '{}'::json)
                          FROM (SELECT status, count(*) AS n FROM sh GROUP BY status) AS g)),
        'stockpiles', json_build_object(
            'total', (SELECT count(*) FROM sp),
            'by_status', (SELECT coalesce(json_object_agg(status, n ORDER BY status), '{}'::json)
                          FROM (SELECT status, count(*) AS n FROM sp GROUP BY status) AS g)),
        'cameras', json_build_object(
            'total', (SELECT count(*) FROM ca),
            'by_status', (SELECT coalesce(json_object_agg(status, n ORDER BY status), '{}'::json)
                          FROM (SELECT status, count(*) AS n FROM ca GROUP BY status) AS g)),
        'incidents', json_build_object(
            'total', (SELECT count(*) FROM inc),
            'by_status', (SELECT coalesce(json_object_agg(status, n ORDER BY status), '{}'::json)
                          FROM (SELECT status, count(*) AS n FROM inc GROUP BY status) AS g)),
        'hazard_zones', json_build_object(
            'total', (SELECT count(*) FROM hz),
            'in_force', (SELECT count(*) FROM hz WHERE in_force),
            'in_force_by_type', (
                SELECT coalesce(json_object_agg(hazard_type, n ORDER BY hazard_type), '{}'::json)
                FROM (SELECT hazard_type, count(*) AS n FROM hz WHERE in_force
                      GROUP BY hazard_type) AS g),
            'in_force_by_severity', (
                SELECT coalesce(json_object_agg(severity, n ORDER BY rank), '{}'::json)
                FROM (SELECT severity, min(severity_rank) AS rank, count(*) AS n
                      FROM hz WHERE in_force GROUP BY severity) AS g))
    ),
    'shelters', (
        SELECT json_build_object(
            'capacity', coalesce(sum(capacity), 0),
            'occupancy', coalesce(sum(occupancy), 0),
            -- an over-full shelter has no free place, it does not take places from the others
            'free_places', coalesce(sum(greatest(capacity - occupancy, 0)), 0),
            'over_capacity', count(*) FILTER (WHERE occupancy > capacity),
            'people_over_capacity', coalesce(sum(greatest(occupancy - capacity, 0)), 0),
            'open', json_build_object(
                'count', count(*) FILTER (WHERE status = 'open'),
                'capacity', coalesce(sum(capacity) FILTER (WHERE status = 'open'), 0),
                'occupancy', coalesce(sum(occupancy) FILTER (WHERE status = 'open'), 0),
                'free_places', coalesce(
                    sum(greatest(capacity - occupancy, 0)) FILTER (WHERE status = 'open'), 0)))
        FROM sh
    ),
    'stock', (
        SELECT coalesce(json_object_agg(item, units ORDER BY item), '{}'::json)
        FROM (
            SELECT item, json_agg(json_build_object(
                       'unit', unit,
                       'quantity', coalesce(quantity, 0),
                       'stockpiles', stockpiles,
                       'expired_quantity', coalesce(expired_quantity, 0)) ORDER BY unit) AS units
            FROM stock GROUP BY item
        ) AS g
    ),
    'open_incidents', (
        SELECT json_build_object(
            'total', (SELECT count(*) FROM inc WHERE status NOT IN ('resolved', 'closed', 'cancelled')),
            'by_type', (
                SELECT coalesce(json_object_agg(incident_type, n ORDER BY incident_type),
                                '{}'::json)
                FROM (SELECT incident_type, count(*) AS n FROM inc
                      WHERE status NOT IN ('resolved', 'closed', 'cancelled') GROUP BY incident_type) AS g),
            'by_severity', (
                SELECT coalesce(json_object_agg(severity, n ORDER BY rank), '{}'::json)
                FROM (SELECT severity, min(severity_rank) AS rank, count(*) AS n FROM inc
                      WHERE status NOT IN ('resolved', 'closed', 'cancelled') GROUP BY severity) AS g),
            'by_type_and_severity', (
                SELECT coalesce(json_object_agg(incident_type, sev ORDER BY incident_type),
                                '{}'::json)
                FROM (SELECT incident_type, json_object_agg(severity, n ORDER BY rank) AS sev
                      FROM (SELECT incident_type, severity, min(severity_rank) AS rank,
                                   count(*) AS n FROM inc
                            WHERE status NOT IN ('resolved', 'closed', 'cancelled')
                            GROUP BY incident_type, severity) AS c
                      GROUP BY incident_type) AS g))
    )
) AS situation
