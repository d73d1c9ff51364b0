DELETE FROM roads WHERE source = ANY(%(sources)s)
