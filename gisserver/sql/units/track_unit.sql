SELECT id, name, now() AS now FROM units WHERE id = %(unit_id)s
