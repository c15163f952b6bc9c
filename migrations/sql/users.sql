-- Users, their passwords and their browser sessions: sign-in, the
-- session check every cookie request makes, and the admin's user list.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent. Password hashing (Argon2id)
-- is done by jobfaird off its event loop; only the hash comes here.

CREATE OR REPLACE FUNCTION user_json(u users) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', u.id, 'name', u.name, 'role', u.role,
        'revoked', u.revoked_at IS NOT NULL,
        'has_password', u.password_hash IS NOT NULL,
        'created_at', rfc3339_jst(u.created_at));
$$;

-- The user a sign-in names, with the hash to verify: no row when the
-- name is unknown, revoked or has no password (the caller cannot tell).
CREATE OR REPLACE FUNCTION session_sign_in_user(p_name text)
RETURNS TABLE (id bigint, name text, role text, password_hash text)
LANGUAGE sql STABLE AS $$
    SELECT u.id, u.name, u.role, u.password_hash FROM users u
    WHERE u.name = p_name AND u.revoked_at IS NULL AND u.password_hash IS NOT NULL;
$$;

-- A verified sign-in: the new session (its id's SHA-256 only) and the
-- audit row. Also forgets this user's sessions idle for over a day.
CREATE OR REPLACE FUNCTION api_session_open(p_user bigint, p_id_hash text,
                                            p_address text, p_idle int) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    u users;
BEGIN
    SELECT * INTO u FROM users WHERE id = p_user AND revoked_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'wrong name or password' USING ERRCODE = 'JF401';
    END IF;
    DELETE FROM sessions
    WHERE user_id = p_user AND last_seen < now() - make_interval(secs => p_idle);
    INSERT INTO sessions (id_hash, user_id, address) VALUES (p_id_hash, p_user, left(p_address, 64));
    PERFORM audit(p_user, 'sign_in', 'user', p_user,
                  jsonb_build_object('address', left(p_address, 64)));
    RETURN jsonb_build_object('id', u.id, 'name', u.name, 'role', u.role);
END;
$$;

-- A refused sign-in, audited with the name as typed (it may not exist).
CREATE OR REPLACE FUNCTION api_sign_in_failed(p_name text, p_address text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM audit((SELECT id FROM users WHERE name = p_name), 'sign_in_failed', 'user',
                  (SELECT id FROM users WHERE name = p_name),
                  jsonb_build_object('name', left(p_name, 64), 'address', left(p_address, 64)));
END;
$$;

-- The user behind a session cookie, or no row when the session is
-- unknown, idle for longer than p_idle seconds, or its user revoked.
-- last_seen is written at most once a minute, not on every request.
CREATE OR REPLACE FUNCTION session_touch(p_id_hash text, p_idle int)
RETURNS TABLE (user_id bigint, name text, role text)
LANGUAGE plpgsql AS $$
DECLARE
    s sessions;
BEGIN
    SELECT * INTO s FROM sessions WHERE id_hash = p_id_hash;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF s.last_seen < now() - make_interval(secs => p_idle) THEN
        DELETE FROM sessions WHERE id_hash = p_id_hash;
        RETURN;
    END IF;
    IF s.last_seen < now() - interval '1 minute' THEN
        UPDATE sessions SET last_seen = now() WHERE id_hash = p_id_hash;
    END IF;
    RETURN QUERY SELECT u.id, u.name, u.role FROM users u
                 WHERE u.id = s.user_id AND u.revoked_at IS NULL;
END;
$$;

CREATE OR REPLACE FUNCTION api_session_close(p_user bigint, p_id_hash text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM sessions WHERE id_hash = p_id_hash AND user_id = p_user;
    IF FOUND THEN
        PERFORM audit(p_user, 'sign_out', 'user', p_user);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION api_users_list() RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('items',
        coalesce(jsonb_agg(user_json(u) ORDER BY u.id), '[]'::jsonb))
    FROM users u;
$$;

-- A new user with a password and an API token (hashed here; the clear
-- token goes back in the answer, once).
CREATE OR REPLACE FUNCTION api_user_create(p_admin bigint, p_token text,
                                           p_password_hash text, p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    u users;
BEGIN
    IF EXISTS (SELECT 1 FROM users WHERE name = p->>'name') THEN
        RAISE EXCEPTION 'a user of that name exists' USING ERRCODE = 'JF409', COLUMN = 'name';
    END IF;
    IF p->>'name' !~ '^[A-Za-z0-9._@-]{1,64}$' THEN
        RAISE EXCEPTION 'letters, digits and . _ @ - only' USING ERRCODE = 'JF422', COLUMN = 'name';
    END IF;
    INSERT INTO users (name, role, token_hash, password_hash)
    VALUES (p->>'name', p->>'role',
            encode(sha256(convert_to(p_token, 'UTF8')), 'hex'), p_password_hash)
    RETURNING * INTO u;
    PERFORM audit(p_admin, 'create', 'user', u.id,
                  jsonb_build_object('name', u.name, 'role', u.role));
    RETURN user_json(u) || jsonb_build_object('token', p_token);
END;
$$;

-- Role, password, revocation. Revoking deletes the user's sessions (the
-- session check refuses a revoked user anyway, at once). An admin may not
-- revoke or demote themselves: the last admin could lock everyone out.
CREATE OR REPLACE FUNCTION api_user_update(p_admin bigint, p_id bigint,
                                           p_password_hash text, p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    u users;
BEGIN
    SELECT * INTO u FROM users WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF p_id = p_admin AND (p ? 'role' AND p->>'role' <> 'admin') THEN
        RAISE EXCEPTION 'you may not change your own role' USING ERRCODE = 'JF422', COLUMN = 'role';
    END IF;
    IF p_id = p_admin AND (p->>'revoked')::boolean THEN
        RAISE EXCEPTION 'you may not revoke yourself' USING ERRCODE = 'JF422', COLUMN = 'revoked';
    END IF;
    IF p ? 'revoked' AND NOT (p->>'revoked')::boolean AND u.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'a revoked user stays revoked; add a new one' USING ERRCODE = 'JF422', COLUMN = 'revoked';
    END IF;
    UPDATE users SET
        role = coalesce(p->>'role', role),
        password_hash = coalesce(p_password_hash, password_hash),
        revoked_at = CASE WHEN (p->>'revoked')::boolean THEN coalesce(revoked_at, now())
                          ELSE revoked_at END
    WHERE id = p_id RETURNING * INTO u;
    IF u.revoked_at IS NOT NULL OR p_password_hash IS NOT NULL THEN
        DELETE FROM sessions WHERE user_id = p_id;
        -- The servers end the user's open live streams (and forget their
        -- cached tokens) at once, not at the next keepalive: 'users' on
        -- the live numbers' channel (STATS_USERS_CHANGED, STATS_CHANNEL in
        -- server/stats.h). Sent at commit, so never for a rolled-back one.
        PERFORM pg_notify('jobfair_checkins', 'users');
    END IF;
    PERFORM audit(p_admin, CASE WHEN (p->>'revoked')::boolean THEN 'revoke' ELSE 'update' END,
                  'user', p_id,
                  (p - 'password') || jsonb_build_object('password_changed', p_password_hash IS NOT NULL));
    RETURN user_json(u);
END;
$$;
