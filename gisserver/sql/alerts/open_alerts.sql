-- The alerts of a rule not resolved (about %(subjects)s; NULL: all). Not locked: the writes
-- that follow take the feed's lock first, then re-check the status of the rows they change.
SELECT id, subject, status, details
  FROM alerts
 WHERE rule = %(rule)s AND status <> 'resolved'
   AND (%(subjects)s::text[] IS NULL OR subject = ANY (%(subjects)s::text[]))
 ORDER BY id
