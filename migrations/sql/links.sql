-- Revocable access links (migrations/0023_access_links.sql): create, list,
-- revoke, and the check every request made with one runs.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent. The secret itself is made
-- by jobfaird and never comes here; only its SHA-256 does.

-- Whether a link may be used now: the one rule, for requests and streams.
CREATE OR REPLACE FUNCTION access_link_usable(l access_links) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT l.revoked_at IS NULL AND l.expires_at > now();
$$;

CREATE OR REPLACE FUNCTION access_link_json(l access_links) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', l.id, 'kind', l.kind, 'event_id', l.event_id,
        'company_id', l.company_id,
        'company_name', (SELECT c.name FROM companies c WHERE c.id = l.company_id),
        'label', l.label,
        'created_at', rfc3339_jst(l.created_at),
        'created_by', (SELECT u.name FROM users u WHERE u.id = l.created_by),
        'expires_at', rfc3339_jst(l.expires_at),
        'revoked_at', rfc3339_jst(l.revoked_at),
        'state', CASE WHEN l.revoked_at IS NOT NULL THEN 'revoked'
                      WHEN l.expires_at <= now() THEN 'expired'
                      ELSE 'active' END);
$$;

-- A new link. It expires by default at the end of the event's last day
-- in Japan's time; a chosen expiry must be in the future and at most a
-- week after the event ends (a link is for one event, not a standing key).
CREATE OR REPLACE FUNCTION api_link_create(p_user bigint, p_event bigint,
                                           p_secret_hash text, p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    e events;
    l access_links;
    v_expires timestamptz;
    v_company bigint := (p->>'company_id')::bigint;
BEGIN
    SELECT * INTO e FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF p->>'kind' = 'booth' AND v_company IS NULL THEN
        RAISE EXCEPTION 'is required' USING ERRCODE = 'JF422', COLUMN = 'company_id';
    END IF;
    IF p->>'kind' = 'dashboard' AND v_company IS NOT NULL THEN
        RAISE EXCEPTION 'a dashboard link is for the whole event' USING ERRCODE = 'JF422',
            COLUMN = 'company_id';
    END IF;
    IF v_company IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM participations
        WHERE event_id = p_event AND company_id = v_company AND status <> 'cancelled') THEN
        RAISE EXCEPTION 'has no booth at this event' USING ERRCODE = 'JF422', COLUMN = 'company_id';
    END IF;
    v_expires := coalesce((p->>'expires_at')::timestamptz,
        (date_trunc('day', e.ends_at AT TIME ZONE 'Asia/Tokyo') + interval '1 day')
            AT TIME ZONE 'Asia/Tokyo');
    IF v_expires <= now() THEN
        RAISE EXCEPTION 'must be in the future' USING ERRCODE = 'JF422', COLUMN = 'expires_at';
    END IF;
    IF v_expires > e.ends_at + interval '7 days' THEN
        RAISE EXCEPTION 'must be at most 7 days after the event ends' USING ERRCODE = 'JF422',
            COLUMN = 'expires_at';
    END IF;
    INSERT INTO access_links (kind, event_id, company_id, label, secret_hash, created_by, expires_at)
    VALUES (p->>'kind', p_event, v_company, p->>'label', p_secret_hash, p_user, v_expires)
    RETURNING * INTO l;
    PERFORM audit(p_user, 'create', 'access_link', l.id,
                  jsonb_build_object('event_id', p_event, 'kind', l.kind, 'company_id', v_company,
                                     'label', l.label, 'expires_at', rfc3339_jst(v_expires)));
    RETURN access_link_json(l);
END;
$$;

-- An event's links, newest first, revoked and expired ones included.
CREATE OR REPLACE FUNCTION api_links_list(p_event bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('items',
        coalesce((SELECT jsonb_agg(access_link_json(l) ORDER BY l.id DESC)
                  FROM access_links l WHERE l.event_id = p_event), '[]'::jsonb),
        'next', NULL)
    FROM events WHERE id = p_event;
$$;

-- Revokes a link at once (its open streams are ended by the caller's
-- announcement, server/links.c). Revoking twice changes nothing.
CREATE OR REPLACE FUNCTION api_link_revoke(p_user bigint, p_event bigint, p_link bigint)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    l access_links;
BEGIN
    UPDATE access_links SET revoked_at = now(), revoked_by = p_user
    WHERE id = p_link AND event_id = p_event AND revoked_at IS NULL
    RETURNING * INTO l;
    IF FOUND THEN
        PERFORM audit(p_user, 'revoke', 'access_link', l.id,
                      jsonb_build_object('event_id', p_event, 'kind', l.kind));
        RETURN access_link_json(l);
    END IF;
    SELECT * INTO l FROM access_links WHERE id = p_link AND event_id = p_event;
    RETURN CASE WHEN FOUND THEN access_link_json(l) END;
END;
$$;

-- The link a secret's hash names, if it may be used now.
CREATE OR REPLACE FUNCTION access_link_verify(p_secret_hash text)
RETURNS TABLE (id bigint, kind text, event_id bigint, company_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT l.id, l.kind, l.event_id, l.company_id FROM access_links l
    WHERE l.secret_hash = p_secret_hash AND access_link_usable(l);
$$;

-- How long, in milliseconds, a link works from now (0 if no longer), so
-- its streams end at its expiry (server/stats.c); NULL for no link.
CREATE OR REPLACE FUNCTION access_link_ms_left(p_link bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN access_link_usable(l)
                THEN ceil(extract(epoch FROM l.expires_at - now()) * 1000)::bigint
                ELSE 0 END
    FROM access_links l WHERE l.id = p_link;
$$;

-- What a page opened by a link shows of it: the event (no people), the
-- booth's company, and until when it works.
CREATE OR REPLACE FUNCTION api_link_show(p_link bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'kind', l.kind, 'label', l.label, 'expires_at', rfc3339_jst(l.expires_at),
        'event', jsonb_build_object('id', e.id, 'title', e.title, 'venue', e.venue,
                                    'starts_at', rfc3339_jst(e.starts_at),
                                    'ends_at', rfc3339_jst(e.ends_at)),
        'company', (SELECT jsonb_build_object('id', c.id, 'name', c.name)
                    FROM companies c WHERE c.id = l.company_id))
    FROM access_links l JOIN events e ON e.id = l.event_id
    WHERE l.id = p_link;
$$;
