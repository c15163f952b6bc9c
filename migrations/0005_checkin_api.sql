-- Event day: check-in by token or by id (exactly once, idempotent by the
-- desk's nonce), undo, walk-ins, the desk's lookup, token re-issue, live
-- counts and the offline desks' roster. Each request runs one of these
-- functions as its one statement; they raise SQLSTATE 'JFnnn' for HTTP
-- status nnn, with COLUMN naming the request field at fault.

-- A walk-in remembers the desk's nonce, so a retried walk-in finds the
-- registration it made instead of registering the person again.
ALTER TABLE registrations ADD COLUMN walkin_nonce text UNIQUE
    CHECK (length(walkin_nonce) BETWEEN 8 AND 100);

-- Live counts -----------------------------------------------------------

-- Every change to who came, who registered or which companies take part
-- tells the servers which event's numbers moved; NOTIFY is delivered at
-- commit and repeated payloads in one transaction are sent once.
CREATE FUNCTION checkin_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobfair_checkins', NEW.event_id::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER checkins_notify AFTER INSERT OR UPDATE ON checkins
    FOR EACH ROW EXECUTE FUNCTION checkin_notify();
CREATE TRIGGER registrations_notify AFTER INSERT OR UPDATE OF status ON registrations
    FOR EACH ROW EXECUTE FUNCTION checkin_notify();
CREATE TRIGGER participations_notify AFTER INSERT OR UPDATE OF status ON participations
    FOR EACH ROW EXECUTE FUNCTION checkin_notify();

-- Arrivals against the targets, as every desk answer shows them.
CREATE FUNCTION checkin_counts(p_event bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'seekers', jsonb_build_object(
            'checked_in', count(c.registration_id), 'target', e.target_seekers),
        'companies', jsonb_build_object(
            'checked_in', count(c.participation_id), 'target', e.target_companies))
    FROM events e
    LEFT JOIN checkins c ON c.event_id = e.id AND c.undone_at IS NULL
    WHERE e.id = p_event
    GROUP BY e.id;
$$;

-- The event's numbers, aggregates only (a viewer may see them); NULL for
-- an unknown event. Supporters are counted apart from job seekers.
CREATE FUNCTION checkin_stats(p_event bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH reg AS (
        SELECT r.status, r.walk_in, r.categories, r.supporters,
               c.id IS NOT NULL AS came
        FROM registrations r
        LEFT JOIN checkins c ON c.registration_id = r.id AND c.undone_at IS NULL
        WHERE r.event_id = p_event
    ), cats AS (
        SELECT cat, count(*) FILTER (WHERE reg.status = 'registered') AS registered,
               count(*) FILTER (WHERE reg.came) AS checked_in
        FROM unnest(ARRAY['youth', 'senior', 'disability', 'parenting', 'welfare',
                          'single_parent']) AS cat
        LEFT JOIN reg ON cat = ANY (reg.categories)
        GROUP BY cat
    ), booths AS (
        SELECT p.status, c.id IS NOT NULL AS came
        FROM participations p
        LEFT JOIN checkins c ON c.participation_id = p.id AND c.undone_at IS NULL
        WHERE p.event_id = p_event
    )
    SELECT jsonb_build_object(
        'event_id', e.id,
        'registered', (SELECT count(*) FROM reg WHERE status = 'registered'),
        'checked_in', (SELECT count(*) FROM reg WHERE came),
        'walk_ins', (SELECT count(*) FROM reg WHERE walk_in AND status = 'registered'),
        'supporters', (SELECT jsonb_build_object(
                           'registered', coalesce(sum(supporters) FILTER (WHERE status = 'registered'), 0),
                           'checked_in', coalesce(sum(supporters) FILTER (WHERE came), 0))
                       FROM reg),
        'by_category', (SELECT jsonb_object_agg(cat, jsonb_build_object(
                                   'registered', registered, 'checked_in', checked_in))
                        FROM cats),
        'companies', (SELECT jsonb_build_object(
                          'registered', count(*) FILTER (WHERE status <> 'cancelled'),
                          'confirmed', count(*) FILTER (WHERE status = 'confirmed'),
                          'checked_in', count(*) FILTER (WHERE came))
                      FROM booths),
        'targets', jsonb_build_object('seekers', e.target_seekers,
                                      'companies', e.target_companies,
                                      'capacity', e.capacity))
    FROM events e WHERE e.id = p_event;
$$;

-- Check-in --------------------------------------------------------------

CREATE FUNCTION checkin_event_check(p_event bigint) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
END;
$$;

-- One scan at a desk: p has nonce, token or registration_id, and
-- optionally desk, scanned_at, offline. The answer is stored with the
-- scan; the same nonce again returns it unchanged and writes nothing.
-- An offline scan's arrival is when it was scanned, not when uploaded.
CREATE FUNCTION api_checkin(p_user bigint, p_event bigint, p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_nonce text := p->>'nonce';
    v_token text := p->>'token';
    v_desk text := p->>'desk';
    v_offline boolean := coalesce((p->>'offline')::boolean, false);
    v_scanned timestamptz := (p->>'scanned_at')::timestamptz;
    v_scan bigint;
    v_prior scans;
    v_kind text;
    v_subject bigint;
    v_subject_event bigint;
    v_status text;
    v_name text;
    v_company bigint;
    v_result text;
    v_checkin checkins;
    v_conflict boolean := false;
    v_answer jsonb;
BEGIN
    PERFORM checkin_event_check(p_event);
    -- Claim the nonce first: a retry racing this scan waits on the unique
    -- index until we commit, then finds our answer.
    INSERT INTO scans (event_id, nonce, token, desk, scanned_at, user_id, offline,
                       result, response)
    VALUES (p_event, v_nonce, left(v_token, 200), v_desk, v_scanned, p_user, v_offline,
            'unknown_token', '{}')
    ON CONFLICT (nonce) DO NOTHING
    RETURNING id INTO v_scan;
    IF v_scan IS NULL THEN
        SELECT * INTO v_prior FROM scans WHERE nonce = v_nonce;
        IF v_prior.event_id <> p_event THEN
            RAISE EXCEPTION 'was already used for a scan at another event'
                USING ERRCODE = 'JF409', COLUMN = 'nonce';
        END IF;
        RETURN v_prior.response;
    END IF;

    IF p->>'registration_id' IS NOT NULL THEN
        SELECT 'seeker', r.id, r.event_id, r.status, r.name
        INTO v_kind, v_subject, v_subject_event, v_status, v_name
        FROM registrations r WHERE r.id = (p->>'registration_id')::bigint;
    ELSE
        SELECT 'seeker', r.id, r.event_id, r.status, r.name
        INTO v_kind, v_subject, v_subject_event, v_status, v_name
        FROM registrations r WHERE r.checkin_token = v_token;
        IF NOT FOUND THEN
            SELECT 'company', b.id, b.event_id, b.status, c.name, c.id
            INTO v_kind, v_subject, v_subject_event, v_status, v_name, v_company
            FROM participations b JOIN companies c ON c.id = b.company_id
            WHERE b.checkin_token = v_token;
        END IF;
    END IF;

    IF v_kind IS NULL THEN
        v_result := 'unknown_token';
    ELSIF v_subject_event <> p_event THEN
        v_result := 'wrong_event';
    ELSIF v_status = 'cancelled' THEN
        v_result := 'cancelled';
    ELSE
        -- The partial unique indexes decide who was first; a concurrent
        -- first scan waits here and then finds the winner's row.
        IF v_kind = 'seeker' THEN
            INSERT INTO checkins (event_id, registration_id, desk, scanned_at,
                                  checked_in_at, user_id, offline)
            VALUES (p_event, v_subject, v_desk, v_scanned,
                    CASE WHEN v_offline THEN least(coalesce(v_scanned, now()), now())
                         ELSE now() END,
                    p_user, v_offline)
            ON CONFLICT (registration_id)
                WHERE undone_at IS NULL AND registration_id IS NOT NULL DO NOTHING
            RETURNING * INTO v_checkin;
        ELSE
            INSERT INTO checkins (event_id, participation_id, desk, scanned_at,
                                  checked_in_at, user_id, offline)
            VALUES (p_event, v_subject, v_desk, v_scanned,
                    CASE WHEN v_offline THEN least(coalesce(v_scanned, now()), now())
                         ELSE now() END,
                    p_user, v_offline)
            ON CONFLICT (participation_id)
                WHERE undone_at IS NULL AND participation_id IS NOT NULL DO NOTHING
            RETURNING * INTO v_checkin;
        END IF;
        IF v_checkin.id IS NOT NULL THEN
            v_result := 'checked_in';
            PERFORM audit(p_user, 'checkin',
                          CASE v_kind WHEN 'seeker' THEN 'registration' ELSE 'booth' END,
                          v_subject, jsonb_build_object('checkin_id', v_checkin.id,
                                                        'desk', v_desk, 'offline', v_offline));
        ELSE
            v_result := 'already_checked_in';
            SELECT * INTO v_checkin FROM checkins
            WHERE undone_at IS NULL
              AND (registration_id = v_subject AND v_kind = 'seeker'
                   OR participation_id = v_subject AND v_kind = 'company');
            -- The same person scanned at two desks while offline.
            v_conflict := v_offline AND v_checkin.desk IS DISTINCT FROM v_desk;
        END IF;
    END IF;

    v_answer := jsonb_build_object(
        'result', v_result,
        'kind', v_kind,
        'name', CASE WHEN v_result <> 'wrong_event' THEN v_name END,
        'checkin_id', v_checkin.id,
        'first_checked_in_at', rfc3339_jst(v_checkin.checked_in_at),
        'desk', v_checkin.desk,
        'conflict', v_conflict,
        'counts', checkin_counts(p_event));
    IF v_result = 'wrong_event' THEN
        -- Where the person should be, so the desk can tell them.
        v_answer := v_answer || (
            SELECT jsonb_build_object('event', jsonb_build_object(
                       'id', e.id, 'title', e.title, 'starts_at', rfc3339_jst(e.starts_at)))
            FROM events e WHERE e.id = v_subject_event);
    ELSIF v_kind = 'seeker' THEN
        v_answer := v_answer || jsonb_build_object('registration_id', v_subject);
    ELSIF v_kind = 'company' THEN
        v_answer := v_answer || jsonb_build_object('company_id', v_company);
    END IF;
    UPDATE scans SET result = v_result, checkin_id = v_checkin.id, response = v_answer
    WHERE id = v_scan;
    RETURN v_answer;
END;
$$;

-- An offline desk's journal: each scan answered as api_checkin would, in
-- order, all in one transaction.
CREATE FUNCTION api_checkin_batch(p_user bigint, p_event bigint, p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_scan jsonb;
    v_results jsonb := '[]';
BEGIN
    PERFORM checkin_event_check(p_event);
    FOR v_scan IN SELECT s.value FROM jsonb_array_elements(p->'scans') WITH ORDINALITY AS s
                  ORDER BY s.ordinality LOOP
        v_results := v_results || jsonb_build_array(api_checkin(p_user, p_event, v_scan));
    END LOOP;
    RETURN jsonb_build_object('results', v_results);
END;
$$;

-- A desk's mistake taken back; the row stays, marked, for the audit.
CREATE FUNCTION api_checkin_undo(p_user bigint, p_event bigint, p_checkin bigint)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    c checkins;
BEGIN
    UPDATE checkins SET undone_at = now(), undone_by = p_user
    WHERE id = p_checkin AND event_id = p_event AND undone_at IS NULL
    RETURNING * INTO c;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM checkins WHERE id = p_checkin AND event_id = p_event) THEN
            RAISE EXCEPTION 'this check-in was already undone' USING ERRCODE = 'JF409';
        END IF;
        RAISE EXCEPTION 'no such check-in' USING ERRCODE = 'JF404';
    END IF;
    IF c.registration_id IS NOT NULL THEN
        PERFORM audit(p_user, 'checkin_undo', 'registration', c.registration_id,
                      jsonb_build_object('checkin_id', c.id, 'desk', c.desk));
    ELSE
        PERFORM audit(p_user, 'checkin_undo', 'booth', c.participation_id,
                      jsonb_build_object('checkin_id', c.id, 'desk', c.desk));
    END IF;
    RETURN jsonb_build_object(
        'checkin_id', c.id,
        'kind', CASE WHEN c.registration_id IS NOT NULL THEN 'seeker' ELSE 'company' END,
        'registration_id', c.registration_id,
        'company_id', (SELECT company_id FROM participations WHERE id = c.participation_id),
        'undone_at', rfc3339_jst(c.undone_at),
        'counts', checkin_counts(p_event));
END;
$$;

-- Walk-ins --------------------------------------------------------------

-- A walk-in's registration as the caller's view shows it, with its
-- check-in.
CREATE FUNCTION walkin_json(p_id bigint, p_view text) RETURNS jsonb
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
CREATE FUNCTION api_walkin(p_user bigint, p_event bigint, p_token text, p_view text,
                           p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_prior registrations;
    v_id bigint;
BEGIN
    PERFORM checkin_event_check(p_event);
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

-- Lookup without a QR code ----------------------------------------------

-- p_key is the search text as text_search_key_new() leaves it (NFKC,
-- katakana, no spaces); p_digits its digits when it looks like a phone
-- number. Rows without a search_key are matched on kana and phone too.
CREATE FUNCTION api_lookup(p_user bigint, p_event bigint, p_key text, p_digits text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_items jsonb;
    v_ids jsonb;
BEGIN
    PERFORM checkin_event_check(p_event);
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', f.id, 'name', f.name, 'name_kana', f.name_kana, 'status', f.status,
               'checked_in', f.checked_in) ORDER BY f.name_kana, f.id), '[]'),
           coalesce(jsonb_agg(f.id ORDER BY f.id), '[]')
    INTO v_items, v_ids
    FROM (SELECT r.id, r.name, r.name_kana, r.status,
                 EXISTS (SELECT 1 FROM checkins c
                         WHERE c.registration_id = r.id AND c.undone_at IS NULL) AS checked_in
          FROM registrations r
          WHERE r.event_id = p_event AND r.purged_at IS NULL
            AND (strpos(r.search_key, p_key) > 0
                 OR strpos(replace(r.name_kana, ' ', ''), p_key) > 0
                 OR strpos(replace(normalize(r.name, NFKC), ' ', ''), p_key) > 0
                 OR strpos(r.phone, p_digits) > 0)
          ORDER BY r.name_kana, r.id
          LIMIT 50) f;
    -- Whose names were shown, by id; never the search text itself.
    PERFORM audit(p_user, 'lookup', 'event_registrations', p_event,
                  jsonb_build_object('ids', v_ids));
    RETURN jsonb_build_object('items', v_items);
END;
$$;

-- Tokens ----------------------------------------------------------------

-- The token a registration's QR code shows; a cancelled one has none.
CREATE FUNCTION registration_qr_token(p_id bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r registrations;
BEGIN
    SELECT * INTO r FROM registrations WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such registration' USING ERRCODE = 'JF404';
    ELSIF r.status = 'cancelled' THEN
        RAISE EXCEPTION 'the registration is cancelled' USING ERRCODE = 'JF409';
    ELSIF r.checkin_token IS NULL THEN
        RAISE EXCEPTION 'the registration has no check-in token; reissue one'
            USING ERRCODE = 'JF409';
    END IF;
    RETURN r.checkin_token;
END;
$$;

CREATE FUNCTION booth_qr_token(p_event bigint, p_company bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    b participations;
BEGIN
    SELECT * INTO b FROM participations WHERE event_id = p_event AND company_id = p_company;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the company does not take part in this event' USING ERRCODE = 'JF404';
    ELSIF b.status = 'cancelled' THEN
        RAISE EXCEPTION 'the booth is cancelled' USING ERRCODE = 'JF409';
    ELSIF b.checkin_token IS NULL THEN
        RAISE EXCEPTION 'the booth has no check-in token; reissue one' USING ERRCODE = 'JF409';
    END IF;
    RETURN b.checkin_token;
END;
$$;

-- A new token for a lost or leaked code; the old one stops working.
CREATE FUNCTION api_reissue_registration_token(p_user bigint, p_id bigint, p_token text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    r registrations;
BEGIN
    UPDATE registrations SET checkin_token = p_token, updated_at = now()
    WHERE id = p_id AND status = 'registered'
    RETURNING * INTO r;
    IF NOT FOUND THEN
        PERFORM registration_qr_token(p_id);
    END IF;
    PERFORM audit(p_user, 'reissue_token', 'registration', r.id,
                  jsonb_build_object('event_id', r.event_id));
    RETURN jsonb_build_object('id', r.id, 'event_id', r.event_id,
                              'checkin_token', r.checkin_token);
END;
$$;

CREATE FUNCTION api_reissue_booth_token(p_user bigint, p_event bigint, p_company bigint,
                                        p_token text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    b participations;
BEGIN
    UPDATE participations SET checkin_token = p_token, updated_at = now()
    WHERE event_id = p_event AND company_id = p_company AND status <> 'cancelled'
    RETURNING * INTO b;
    IF NOT FOUND THEN
        PERFORM booth_qr_token(p_event, p_company);
    END IF;
    PERFORM audit(p_user, 'reissue_token', 'booth', b.id,
                  jsonb_build_object('event_id', p_event));
    RETURN jsonb_build_object('event_id', b.event_id, 'company_id', b.company_id,
                              'checkin_token', b.checkin_token);
END;
$$;

-- The offline roster ----------------------------------------------------

-- What an offline desk needs to recognise a code: the SHA-256 of the
-- token's canonical (upper-case) form, never the token, and names only.
-- A booth is "registered" unless cancelled: at the desk, applied and
-- confirmed companies are both let in. A company's id is its company id,
-- as in the check-in answer.
CREATE FUNCTION api_roster(p_user bigint, p_event bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_items jsonb;
BEGIN
    PERFORM checkin_event_check(p_event);
    SELECT coalesce(jsonb_agg(i ORDER BY i->>'kind' DESC, (i->>'id')::bigint), '[]')
    INTO v_items
    FROM (SELECT jsonb_build_object(
                     'kind', 'seeker', 'id', r.id,
                     'token_sha256', encode(sha256(convert_to(r.checkin_token, 'UTF8')), 'hex'),
                     'name', r.name, 'name_kana', r.name_kana, 'status', r.status,
                     'checked_in', EXISTS (SELECT 1 FROM checkins c
                                           WHERE c.registration_id = r.id
                                             AND c.undone_at IS NULL)) AS i
          FROM registrations r
          WHERE r.event_id = p_event AND r.purged_at IS NULL
          UNION ALL
          SELECT jsonb_build_object(
                     'kind', 'company', 'id', b.company_id,
                     'token_sha256', encode(sha256(convert_to(b.checkin_token, 'UTF8')), 'hex'),
                     'name', co.name, 'name_kana', co.name_kana,
                     'status', CASE b.status WHEN 'cancelled' THEN 'cancelled'
                                             ELSE 'registered' END,
                     'checked_in', EXISTS (SELECT 1 FROM checkins c
                                           WHERE c.participation_id = b.id
                                             AND c.undone_at IS NULL))
          FROM participations b JOIN companies co ON co.id = b.company_id
          WHERE b.event_id = p_event) items(i);
    PERFORM audit(p_user, 'roster', 'event_registrations', p_event,
                  jsonb_build_object('items', jsonb_array_length(v_items)));
    RETURN (SELECT jsonb_build_object('event_id', e.id, 'title', e.title,
                                      'generated_at', rfc3339_jst(now()),
                                      'counts', checkin_counts(e.id), 'items', v_items)
            FROM events e WHERE e.id = p_event);
END;
$$;
