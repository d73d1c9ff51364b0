DROP TABLE IF EXISTS etl_inventory;
CREATE TEMP TABLE etl_inventory (
    row_no integer PRIMARY KEY,
    stockpile_source text,
    stockpile_source_id text NOT NULL,
    item text NOT NULL,
    quantity numeric NOT NULL,
    unit text NOT NULL,
    expires_on date,
    stockpile_id bigint,
    matches integer NOT NULL DEFAULT 0
) ON COMMIT DROP;
