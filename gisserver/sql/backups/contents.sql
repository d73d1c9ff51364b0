-- What a database holds besides the system's and its extensions' own objects: its tables,
-- views, materialized views, foreign tables and sequences (but those of a table's column).
SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^pg_(toast|temp)'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND (d.deptype = 'e'
                           OR (c.relkind = 'S' AND d.deptype IN ('a', 'i')
                               AND d.refclassid = 'pg_class'::regclass)))
 ORDER BY c.relkind NOT IN ('r', 'p'), n.nspname, c.relname
