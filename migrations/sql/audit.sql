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
