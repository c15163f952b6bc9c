-- Walk-in seekers registered at the desk.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- A walk-in's registration as the caller's view shows it, with its
-- check-in.
CREATE OR REPLACE FUNCTION walkin_json(p_id bigint, p_view text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT registration_json(r, p_view)::jsonb || jsonb_build_object(
        'checkin', (SELECT jsonb_build_object(
                        'id', c.id, 'checked_in_at', rfc3339_jst(c.checked_in_at),
                        'desk', c.desk, 'undone_at', rfc3339_jst(c.undone_at))
                    FROM checkins c WHERE c.registration_id = r.id
                    ORDER BY c.id LIMIT 1),
        'counts', checkin_counts(r.event_id))
    FROM registrations r WHERE r.id = p_id;
$$;

-- Registers a person at the door and checks them in, as one transaction.
-- Registration goes through api_registration_create, so capacity, the
-- same person twice and consent are judged as for any registration.
CREATE OR REPLACE FUNCTION api_walkin(p_user bigint, p_event bigint, p_token text, p_view text,
                           p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_prior registrations;
    v_id bigint;
BEGIN
    PERFORM checkin_event_open(p_event);
    PERFORM checkin_event_day_check(p_event);
    -- Retries of one walk-in wait for each other here, then find its row.
    PERFORM pg_advisory_xact_lock(hashtextextended('walkin:' || (p->>'nonce'), 0));
    SELECT * INTO v_prior FROM registrations WHERE walkin_nonce = p->>'nonce';
    IF FOUND THEN
        IF v_prior.event_id <> p_event THEN
            RAISE EXCEPTION 'was already used for a walk-in at another event'
                USING ERRCODE = 'JF409', COLUMN = 'nonce';
        END IF;
        RETURN walkin_json(v_prior.id, p_view);
    END IF;
    v_id := (api_registration_create(p_user, p_event, p_token,
                                     p - 'nonce' - 'desk')->>'id')::bigint;
    UPDATE registrations SET walk_in = true, walkin_nonce = p->>'nonce' WHERE id = v_id;
    INSERT INTO checkins (event_id, registration_id, desk, user_id)
    VALUES (p_event, v_id, p->>'desk', p_user);
    PERFORM audit(p_user, 'walkin', 'registration', v_id,
                  jsonb_build_object('event_id', p_event, 'desk', p->>'desk'));
    RETURN walkin_json(v_id, p_view);
END;
$$;
