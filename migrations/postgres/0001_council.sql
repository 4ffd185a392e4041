-- The council: exactly one row per deployment, written once by `tribune init`.
CREATE TABLE council (
    id          SMALLINT PRIMARY KEY CHECK (id = 1),
    name        TEXT     NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    log_origin  TEXT     NOT NULL CHECK (octet_length(log_origin) BETWEEN 1 AND 255),
    founded_at  BIGINT   NOT NULL -- seconds since the Unix epoch, UTC
);

-- The founding is history: it is never rewritten or removed.
CREATE FUNCTION tribune_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER council_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON council
    FOR EACH STATEMENT EXECUTE FUNCTION tribune_refuse_change();
