-- Audit: the append-only log of every change and the helper every write calls.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- The audit trail is append-only, whatever the caller's privileges.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'JF403';
END;
$$;
CREATE OR REPLACE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- One audit row, written in the same transaction as the change it
-- records. plpgsql rather than sql: a SQL-language function PostgreSQL
-- cannot inline is parsed and planned again in every transaction, and
-- every check-in calls this one.
CREATE OR REPLACE FUNCTION audit(p_user bigint, p_action text, p_type text, p_id bigint,
                                 p_detail jsonb DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (user_id, action, object_type, object_id, detail)
    VALUES (p_user, p_action, p_type, p_id, p_detail);
END;
$$;

-- The scan log is the audit record of a check-in (0029): append-only too,
-- but for the answer kept with each scan, from which the yearly purge
-- strips the person's name (purge_personal_data()). Who scanned, when,
-- where, what and with which result stay as written. The privileges of
-- 0029 and deploy/db-roles.sql say the same for the application role.
CREATE OR REPLACE FUNCTION scans_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_rest scans;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        v_rest := NEW;
        v_rest.response := OLD.response;
        IF v_rest IS NOT DISTINCT FROM OLD AND OLD.response @> NEW.response
           AND NEW.response - '{name,name_kana}'::text[]
               = OLD.response - '{name,name_kana}'::text[] THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the scan log is append-only: only names may be taken out of a scan''s answer'
        USING ERRCODE = 'JF403';
END;
$$;
-- TRUNCATE is the owner's alone, by privilege, as for every table (a
-- test's or a benchmark's reset).
CREATE OR REPLACE TRIGGER scans_append_only
    BEFORE DELETE ON scans
    FOR EACH STATEMENT EXECUTE FUNCTION scans_refuse_change();
CREATE OR REPLACE TRIGGER scans_names_only
    BEFORE UPDATE ON scans
    FOR EACH ROW EXECUTE FUNCTION scans_refuse_change();

-- The audit trail as an admin reads it: the audit log, and each check-in
-- api_checkin() made since 0029 from its scan row, in the shape its
-- audit_log row had (action 'checkin', the registration or booth, the
-- check-in, desk, offline, by_id). Earlier check-ins have an audit_log
-- row and a scan with by_id NULL, so none is listed twice. The two id
-- spaces overlap: an entry is one of id (audit_log) or scan_id (scans).
CREATE OR REPLACE VIEW audit_trail AS
    SELECT a.id, NULL::bigint AS scan_id, a.at, a.user_id, a.action, a.object_type,
           a.object_id, a.detail
    FROM audit_log a
    UNION ALL
    SELECT NULL, s.id, s.received_at, s.user_id, 'checkin',
           CASE WHEN c.registration_id IS NOT NULL THEN 'registration' ELSE 'booth' END,
           coalesce(c.registration_id, c.participation_id),
           jsonb_build_object('checkin_id', s.checkin_id, 'desk', s.desk, 'offline', s.offline)
           || CASE WHEN s.by_id THEN '{"by_id": true}'::jsonb ELSE '{}' END
    FROM scans s
    JOIN checkins c ON c.id = s.checkin_id
    WHERE s.result = 'checked_in' AND s.by_id IS NOT NULL;
