-- Whether this role may replace the layer by a new table (etl/bulk.py): it must be able to drop
-- the layer (own it, or be a member of its owner) and to create a table in its schema.
SELECT pg_has_role(c.relowner, 'USAGE') AND has_schema_privilege(c.relnamespace, 'CREATE')
  FROM pg_class c
 WHERE c.oid = %(table)s::regclass
