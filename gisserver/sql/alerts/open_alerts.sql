-- The alerts of a rule not resolved (about %(subjects)s; NULL: all), locked until commit.
SELECT id, subject, status, details
  FROM alerts
 WHERE rule = %(rule)s AND status <> 'resolved'
   AND (%(subjects)s::text[] IS NULL OR subject = ANY (%(subjects)s::text[]))
 ORDER BY id
   FOR UPDATE
