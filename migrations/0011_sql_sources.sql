-- Functions, trigger functions and views live in migrations/sql/*.sql,
-- re-applied by `jobfaird migrate` whenever a file's SHA-256 changes
-- (server/migrate.c). These tables record what was applied and which
-- functions each file defined, so a function a file no longer defines
-- (removed, or its signature changed) is dropped.
CREATE TABLE schema_sources (
    name       text PRIMARY KEY,
    sha256     text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE schema_source_functions (
    signature text PRIMARY KEY,   -- regprocedure as text: name(argtypes)
    source    text NOT NULL REFERENCES schema_sources (name)
);
