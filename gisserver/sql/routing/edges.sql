-- The graph pgRouting searches, as the text of a query (pgRouting runs it itself, so it carries
-- no bound parameters: every value in it is a number or a road class written by
-- gisserver.routing.network, never a client's text).
--
-- cost: seconds to drive the segment from from_node to to_node, -1 where that is not allowed
-- (one way against it, or closed); reverse_cost: the other way. Seconds = length / speed, the
-- speed being the road's posted one, else its class's in the routing profile, else the
-- profile's default, times the factor of the hazard zones in force that slow it (0: closed).
-- Searching towards a point (travel times *to* it) swaps the two: the graph reversed.
SELECT r.id, r.from_node AS source, r.to_node AS target,
       {cost} AS cost,
       {reverse_cost} AS reverse_cost
  FROM roads AS r
  LEFT JOIN (VALUES {speeds}) AS s(road_class, kmh) ON s.road_class = r.road_class
  {hazards}
 WHERE {extent}
