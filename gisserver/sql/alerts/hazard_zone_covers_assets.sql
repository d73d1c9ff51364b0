-- The hazard zones (of %(ids)s; NULL: all) in force at %(now)s that cover at least one
-- shelter, stockpile or camera (boundary included), with those assets by layer.
SELECT subject_id, wkb, facts, assets
  FROM (
    SELECT z.id AS subject_id, ST_AsBinary(z.geom) AS wkb,
           jsonb_build_object('id', z.id, 'name', z.name, 'hazard_type', z.hazard_type,
                              'severity', z.severity, 'valid_to', z.valid_to) AS facts,
           jsonb_build_object(
               'shelters', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                'id', s.id, 'name', s.name, 'status', s.status,
                                'capacity', s.capacity)
                                ORDER BY s.id), '[]'::jsonb)
                              FROM shelters AS s WHERE ST_Intersects(z.geom, s.geom)),
               'stockpiles', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                  'id', p.id, 'name', p.name, 'status', p.status)
                                  ORDER BY p.id), '[]'::jsonb)
                                FROM stockpiles AS p WHERE ST_Intersects(z.geom, p.geom)),
               'cameras', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                               'id', c.id, 'name', c.name, 'status', c.status)
                               ORDER BY c.id), '[]'::jsonb)
                             FROM cameras AS c WHERE ST_Intersects(z.geom, c.geom))
           ) AS assets
      FROM hazard_zones AS z
     WHERE (%(ids)s::bigint[] IS NULL OR z.id = ANY (%(ids)s::bigint[]))
       AND (z.valid_from IS NULL OR z.valid_from <= %(now)s)
       AND (z.valid_to IS NULL OR z.valid_to > %(now)s)
  ) AS covered
 WHERE jsonb_array_length(assets -> 'shelters') + jsonb_array_length(assets -> 'stockpiles')
       + jsonb_array_length(assets -> 'cameras') > 0
