-- Users of the API and the audit trail of what they did.

CREATE TABLE users (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
    role        text NOT NULL CHECK (role IN ('admin', 'organizer', 'frontdesk', 'viewer')),
    -- Only the SHA-256 of a token is kept; the token is shown once.
    token_hash  text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- Every write, and every read of a job seeker's personal data.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     bigint REFERENCES users (id),
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   bigint,
    detail      jsonb
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

-- The audit trail is append-only, whatever the caller's privileges.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'JF403';
END;
$$;
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE FUNCTION audit(p_user bigint, p_action text, p_type text, p_id bigint,
                      p_detail jsonb DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO audit_log (user_id, action, object_type, object_id, detail)
    VALUES (p_user, p_action, p_type, p_id, p_detail);
$$;
