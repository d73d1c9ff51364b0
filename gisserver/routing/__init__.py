"""Drive time on the road network (pgRouting): the routing profile, the network as a query sees
it (closures by hazard zones in force), and the searches (route, travel times, isochrones).
The analyses that answer with them are in ``gisserver.analyses.drive``."""
