-- The audit log is insert-only for everyone but its owner, whatever roles
-- a DBA has granted table rights to (deploy/db-roles.sql gives the
-- application role SELECT/INSERT/UPDATE/DELETE on every table by default
-- privileges, audit_log included when it is created). The trigger of
-- 0001 refuses changes too; a privilege cannot be disabled by the table's
-- users as a trigger can by its owner.
DO $$
DECLARE
    grantee text;
BEGIN
    FOR grantee IN
        SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                             ELSE quote_ident(pg_get_userbyid(a.grantee)) END
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid = 'audit_log'::regclass
          AND a.grantee <> c.relowner
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %s', grantee);
    END LOOP;
END
$$;
