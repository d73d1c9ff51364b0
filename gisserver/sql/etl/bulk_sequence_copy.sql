-- Make sequence %(to)s continue where %(from)s is (the next value is the same).
SELECT setval(%(to)s::regclass,
              coalesce(pg_sequence_last_value(%(from)s::regclass), s.seqstart),
              pg_sequence_last_value(%(from)s::regclass) IS NOT NULL)
  FROM pg_sequence s
 WHERE s.seqrelid = %(from)s::regclass
