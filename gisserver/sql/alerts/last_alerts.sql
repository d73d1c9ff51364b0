-- The newest alert of a rule about each of %(subjects)s, resolved or not: whether a person
-- resolved it, and what it said then.
SELECT DISTINCT ON (subject) subject, status, resolved_by, details
  FROM alerts
 WHERE rule = %(rule)s AND subject = ANY (%(subjects)s::text[])
 ORDER BY subject, id DESC
