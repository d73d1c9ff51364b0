-- The response units as they were at %(as_of)s, with the columns of their table. A unit's
-- position-only updates are not versions (migration 0009): its positions are the track
-- (unit_positions), and the row of its version holds wherever the unit stood when the version
-- ended (or stands now). As of the instant a unit stands at its newest track position with
-- at <= the instant, not older than the write that began its version; without one, where that
-- write put it (the write's audit row, 'after'); a unit older than the audit trail, where its
-- version holds it.
-- Filled in by gisserver.analyses.as_of: the units' rows as of the instant (layer_as_of.sql),
-- the table's columns (geom, position_at, speed and heading chosen as above), the layer.
-- The write: the unit's latest create/update/replace in the audit trail by the instant
-- (audit_log_feature_idx, newest first). The track: unit_positions_unit_idx (unit_id, at),
-- newest first; the months after the instant are pruned when the statement starts, those
-- before the write per unit, and the ordered scan of the months stops at the first position.
SELECT {columns}
  FROM ({versions}) AS v
  LEFT JOIN LATERAL (
      SELECT a.at, a.after
        FROM audit_log AS a
       WHERE a.layer = {layer} AND a.feature_id = v.id
         AND a.operation IN ('create', 'update', 'replace')
         AND a.at <= %(as_of)s::timestamptz
       ORDER BY a.id DESC
       LIMIT 1
  ) AS w ON TRUE
  LEFT JOIN LATERAL (
      SELECT p.geom, p.at, p.speed, p.heading
        FROM unit_positions AS p
       WHERE p.unit_id = v.id
         AND p.at <= %(as_of)s::timestamptz
         AND p.at >= coalesce(w.at, '-infinity'::timestamptz)
       ORDER BY p.at DESC
       LIMIT 1
  ) AS p ON TRUE
