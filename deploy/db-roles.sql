-- jobfair's two database roles, for a DBA (psql as a superuser, or a role
-- with CREATEROLE that owns the database), connected to the database:
--
--   psql -d jobfair -v owner=jobfair_owner -v app=jobfair_app -f db-roles.sql
--
-- owner: owns the database, its public schema and every object the
--        migrations make; jobfaird migrates as it
--        (JOBFAIR_MIGRATE_DATABASE_URL).
-- app:   what jobfaird serves with day to day (JOBFAIR_DATABASE_URL): reads
--        and writes rows, runs the functions, no DDL, no TRUNCATE, and
--        audit_log insert-only (migration 0021 keeps it so), and the scan
--        log too but for its answers, from which the purge strips names
--        (0029).
--
-- Run again at will: it only adds what is missing. Passwords are the DBA's
-- business (\password ROLE, or a pg_hba.conf of peer/cert lines). Objects
-- made earlier by another role: REASSIGN OWNED BY old TO owner first.
\set ON_ERROR_STOP on
\if :{?owner}
\else
\set owner jobfair_owner
\endif
\if :{?app}
\else
\set app jobfair_app
\endif

SELECT format('CREATE ROLE %I LOGIN', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec

-- The owner owns the database and the schema the migrations write to.
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'owner') \gexec
ALTER SCHEMA public OWNER TO :"owner";
-- Nobody else makes objects here (PostgreSQL 15's default; older ones
-- let every role create in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
-- TEMPORARY for nothing jobfaird does today, but harmless and often
-- expected by tools; CONNECT is what it needs.
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I',
              current_database(), :'app') \gexec
GRANT USAGE ON SCHEMA public TO :"app";

-- What exists already (a database migrated before the roles were made)…
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app";
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO :"app";
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I', :'app')
WHERE to_regclass('public.audit_log') IS NOT NULL \gexec
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE ON scans FROM %I', :'app')
WHERE to_regclass('public.scans') IS NOT NULL \gexec
SELECT format('GRANT UPDATE (response) ON scans TO %I', :'app')
WHERE to_regclass('public.scans') IS NOT NULL \gexec

-- …and what the owner's migrations make from now on.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO :"app";
