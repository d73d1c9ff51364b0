-- Everything the catalogue says about a table that a bulk load's swap must keep, by name (no
-- oids): columns (types, defaults, identity, collation, storage, privileges, comments), indexes,
-- constraints, the foreign keys pointing at it, triggers, identity sequences and their options,
-- owner, privileges, options, comment, row security and policies, rules, inheritance,
-- publications, extended statistics and the views that use it. The swap compares this before
-- and after; any difference undoes it. Privileges are compared as sets: their order in an ACL
-- means nothing, and a table the ETL's role creates gets its default privileges first.
SELECT jsonb_build_object(
    'table', jsonb_build_array(
        t.relowner::regrole::text,
        (SELECT array_agg(item::text ORDER BY item::text) FROM unnest(t.relacl) AS item),
        t.reloptions::text, t.relpersistence, t.relkind, t.relreplident, t.relrowsecurity,
        t.relforcerowsecurity, t.relhasrules, t.relhassubclass, t.relispartition,
        t.reltablespace::bigint, obj_description(t.oid, 'pg_class')),
    'columns', (
        SELECT jsonb_agg(jsonb_build_array(
                   a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attstorage,
                   a.attcompression, a.attcollation::regcollation::text, a.attstattarget,
                   (SELECT array_agg(item::text ORDER BY item::text) FROM unnest(a.attacl) AS item),
                   a.attoptions::text, col_description(t.oid, a.attnum),
                   (SELECT jsonb_build_array(s.relname,
                                             (SELECT array_agg(item::text ORDER BY item::text)
                                                FROM unnest(s.relacl) AS item),
                                             q.seqtypid::regtype::text, q.seqstart,
                                             q.seqincrement, q.seqmax, q.seqmin, q.seqcache,
                                             q.seqcycle)
                      FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid
                     WHERE s.oid = pg_get_serial_sequence(t.oid::regclass::text, a.attname)::regclass))
                 ORDER BY a.attnum)
          FROM pg_attribute a
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
    'indexes', (
        SELECT jsonb_agg(jsonb_build_array(
                   ic.relname, pg_get_indexdef(i.indexrelid), i.indisclustered, i.indisreplident,
                   ic.reloptions::text, obj_description(ic.oid, 'pg_class'))
                 ORDER BY ic.relname)
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = t.oid),
    'constraints', (
        SELECT jsonb_agg(jsonb_build_array(
                   c.conname, c.contype, pg_get_constraintdef(c.oid),
                   (SELECT relname FROM pg_class WHERE oid = c.conindid),
                   obj_description(c.oid, 'pg_constraint'))
                 ORDER BY c.conname)
          FROM pg_constraint c
         WHERE c.conrelid = t.oid),
    'referenced_by', (
        SELECT jsonb_agg(jsonb_build_array(
                   c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid),
                   (SELECT relname FROM pg_class WHERE oid = c.conindid))
                 ORDER BY c.conname)
          FROM pg_constraint c
         WHERE c.confrelid = t.oid),
    'triggers', (
        SELECT jsonb_agg(jsonb_build_array(g.tgname, pg_get_triggerdef(g.oid), g.tgenabled)
                 ORDER BY g.tgname)
          FROM pg_trigger g
         WHERE g.tgrelid = t.oid AND NOT g.tgisinternal),
    'policies', (SELECT count(*) FROM pg_policy p WHERE p.polrelid = t.oid),
    'inherits', (SELECT count(*) FROM pg_inherits h WHERE h.inhrelid = t.oid),
    'publications', (
        SELECT jsonb_agg(p.pubname ORDER BY p.pubname)
          FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
         WHERE r.prrelid = t.oid),
    'statistics', (
        SELECT jsonb_agg(s.stxname ORDER BY s.stxname)
          FROM pg_statistic_ext s
         WHERE s.stxrelid = t.oid),
    'views', (
        SELECT jsonb_agg(DISTINCT r.ev_class::regclass::text)
          FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
         WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = t.oid
           AND r.ev_class <> t.oid)
)
  FROM pg_class t
 WHERE t.oid = %(table)s::regclass
