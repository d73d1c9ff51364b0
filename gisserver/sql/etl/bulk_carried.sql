-- What of the layer a table made LIKE it lacks, and the swap makes again, in this order:
--   foreign_key  on_table, name, definition: another table's foreign key pointing at the layer
--   trigger      name, definition, detail (pg_trigger.tgenabled)
--   owner        name (the role)
--   grant        name (the grantee), definition (the privileges), detail (WITH GRANT OPTION),
--                in the order they were granted
--   comment      definition
SELECT 'foreign_key' AS kind, r.relname AS on_table, c.conname AS name,
       pg_get_constraintdef(c.oid) AS definition, NULL AS detail, c.oid::bigint AS rank
  FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
 WHERE c.confrelid = %(table)s::regclass AND c.contype = 'f'
UNION ALL
SELECT 'trigger', NULL, g.tgname, pg_get_triggerdef(g.oid), g.tgenabled::text, g.oid::bigint
  FROM pg_trigger g
 WHERE g.tgrelid = %(table)s::regclass AND NOT g.tgisinternal
UNION ALL
SELECT 'owner', NULL, t.relowner::regrole::text, NULL, NULL, 0
  FROM pg_class t
 WHERE t.oid = %(table)s::regclass
UNION ALL
SELECT 'grant', NULL, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END,
       string_agg(a.privilege_type, ', ' ORDER BY a.n),
       CASE WHEN a.is_grantable THEN 'WITH GRANT OPTION' END, min(a.n)
  FROM pg_class t,
       aclexplode(t.relacl) WITH ORDINALITY AS a (grantor, grantee, privilege_type, is_grantable, n)
 WHERE t.oid = %(table)s::regclass AND a.grantee <> t.relowner
 GROUP BY a.grantee, a.is_grantable
UNION ALL
SELECT 'comment', NULL, NULL, obj_description(%(table)s::regclass, 'pg_class'), NULL, 0
 WHERE obj_description(%(table)s::regclass, 'pg_class') IS NOT NULL
ORDER BY 1, 6
