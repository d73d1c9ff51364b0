DELETE FROM roads WHERE source = %(source)s
