-- An incident's area: its polygon, or a geodesic buffer of buffer_m metres around it.
-- ST_Buffer on geography buffers in a best-fit planar projection chosen for the extent
-- (UTM zone, Lambert azimuthal or polar stereographic) with 32 segments per quarter circle.
SELECT GeometryType(geom) AS geometry_type,
       ST_AsBinary(CASE WHEN %(buffer_m)s::float8 IS NULL THEN geom
                        ELSE ST_Buffer(geom::geography, %(buffer_m)s::float8, 'quad_segs=32')::geometry
                   END) AS wkb
  FROM incidents
 WHERE id = %(id)s;
