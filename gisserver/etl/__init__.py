"""ETL: load situational data from real files into PostGIS. Issue #3 fills this in."""
