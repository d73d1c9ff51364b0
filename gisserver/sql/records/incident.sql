-- An incident as it is now, or (deleted) its last version from the audit trail's delete entry:
-- {id, version, geometry, properties (every column)}, as the audit trigger writes a feature.
SELECT jsonb_build_object('id', i.id, 'version', i.version,
                          'geometry', ST_AsGeoJSON(i.geom, 9, 0)::jsonb,
                          'properties', to_jsonb(i) - '{id,geom,version}'::text[]) AS feature,
       NULL::timestamptz AS deleted_at
  FROM incidents AS i
 WHERE i.id = %(id)s
UNION ALL
(SELECT a.before, a.at
   FROM audit_log AS a
  WHERE a.layer = 'incidents' AND a.feature_id = %(id)s AND a.operation = 'delete'
    AND NOT EXISTS (SELECT 1 FROM incidents WHERE id = %(id)s)
  ORDER BY a.id DESC
  LIMIT 1)
