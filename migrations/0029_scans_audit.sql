-- The scan log row is the audit record of a check-in made through
-- api_checkin(): it already says who, when, where and what, and the
-- check-in no longer writes an audit_log row beside it (issue 17). The
-- readers see both through the view audit_trail (sql/audit.sql).
--
-- by_id: the scan named the person by registration id, without the QR
-- code (the desk's check-in by id, limited as a lookup is). NULL on every
-- scan written before the new api_checkin: those check-ins have their
-- audit_log row already, so the trail lists a scan only when by_id is set
-- and never lists one check-in twice. A cut-over scan id could not say
-- that exactly: migrations and sql/ sources commit apart, and a server
-- checking in between them still runs the old function.
ALTER TABLE scans ADD COLUMN by_id boolean;

-- lookup_rate_check() counts a user's check-ins by id of the last minute
-- here as 0015's index does for the audit log.
CREATE INDEX scans_by_id ON scans (user_id, received_at)
    WHERE by_id AND result = 'checked_in';

-- The scan log is part of the audit trail now: nobody but its owner may
-- delete rows or change them, except the answer kept in `response`,
-- from which the yearly purge strips names (purge_personal_data()). The
-- trigger of sql/audit.sql refuses the rest whatever the privileges.
-- deploy/db-roles.sql does the same for the application role.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                             ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee,
               bool_or(a.privilege_type = 'UPDATE') OVER (PARTITION BY a.grantee) AS updates
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid = 'scans'::regclass
          AND a.grantee <> c.relowner
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON scans FROM %s', r.grantee);
        IF r.updates THEN
            EXECUTE format('GRANT UPDATE (response) ON scans TO %s', r.grantee);
        END IF;
    END LOOP;
END
$$;
