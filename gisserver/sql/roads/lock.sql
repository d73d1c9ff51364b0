-- The first statement of a change to the network: readers read on (the previous network until
-- the commit); other loads of roads wait for it.
LOCK TABLE roads, road_nodes, road_network IN SHARE ROW EXCLUSIVE MODE
