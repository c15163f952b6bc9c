-- Check-in at the desk and at booths: the scan, its undo, a batch from an
-- offline desk, lookups, and the live tallies kept beside the check-ins.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

CREATE OR REPLACE FUNCTION checkin_event_check(p_event bigint) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
END;
$$;

-- A check-in, an undo, a walk-in or a desk's journal changes the event's
-- counted figures: refused once the event is closed, until an organizer
-- reopens it.
CREATE OR REPLACE FUNCTION checkin_event_open(p_event bigint) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_status text;
BEGIN
    SELECT status INTO v_status FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    IF v_status = 'closed' THEN
        RAISE EXCEPTION 'the event is closed: its figures are final; an organizer can reopen it'
            USING ERRCODE = 'JF409';
    END IF;
END;
$$;

-- Whether p_at falls on a day of the event in Japan, or the event was
-- reopened by an organizer to take changes after its days. An offline
-- desk's scan counts at its own time, so a journal uploaded the day
-- after from a desk that was offline on the day is still taken. NULL for
-- an unknown event, as before. plpgsql, not sql: it cannot be inlined (a
-- FROM), so as an SQL function PostgreSQL parsed and planned it again in
-- every check-in's transaction (fmgr_sql); as plpgsql its plan is cached
-- per connection (README, Performance). Reopened: events.reopened_at,
-- set by events_reopen(); it was a search of audit_log (0028).
CREATE OR REPLACE FUNCTION checkin_on_event_day(p_event bigint, p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT (p_at AT TIME ZONE 'Asia/Tokyo')::date
                       BETWEEN (e.starts_at AT TIME ZONE 'Asia/Tokyo')::date
                           AND (e.ends_at AT TIME ZONE 'Asia/Tokyo')::date
                   OR e.reopened_at IS NOT NULL
            FROM events e WHERE e.id = p_event);
END;
$$;

-- A walk-in or an undo now: refused outside the event's days.
CREATE OR REPLACE FUNCTION checkin_event_day_check(p_event bigint) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT checkin_on_event_day(p_event, now()) THEN
        RAISE EXCEPTION 'today is not a day of the event; an organizer can close and reopen it to record a change'
            USING ERRCODE = 'JF409';
    END IF;
END;
$$;

-- The live counts: what a change to a check-in row takes away (OLD, if
-- live) and adds (NEW, if live), added to this session's tally row of
-- the event in one statement. One trigger function: it was this one
-- calling event_reopened() and checkin_tally_add() (plpgsql calls and a
-- search of audit_log on every check-in). A check-in never moves to
-- another event, so one row of one event is all a change touches.
CREATE OR REPLACE FUNCTION checkin_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_event bigint := coalesce(NEW.event_id, OLD.event_id);
    v_seekers integer := 0;
    v_companies integer := 0;
    c checkins;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.event_id <> OLD.event_id THEN
        RAISE EXCEPTION 'a check-in stays with its event' USING ERRCODE = 'JF409';
    END IF;
    -- Figures once final (the event was closed, then reopened): every
    -- later change is on the record, whoever makes it and however.
    IF (SELECT e.reopened_at IS NOT NULL FROM events e WHERE e.id = v_event) THEN
        c := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        PERFORM audit(coalesce(c.undone_by, c.user_id), 'reopened_change', 'event', c.event_id,
                      jsonb_build_object('op', lower(TG_OP), 'checkin_id', c.id,
                                         'undone', c.undone_at IS NOT NULL));
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.undone_at IS NULL THEN
        v_seekers := -(OLD.registration_id IS NOT NULL)::integer;
        v_companies := -(OLD.participation_id IS NOT NULL)::integer;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.undone_at IS NULL THEN
        v_seekers := v_seekers + (NEW.registration_id IS NOT NULL)::integer;
        v_companies := v_companies + (NEW.participation_id IS NOT NULL)::integer;
    END IF;
    IF v_seekers <> 0 OR v_companies <> 0 THEN
        INSERT INTO checkin_tallies AS t (event_id, backend, seekers, companies)
        VALUES (v_event, pg_backend_pid(), v_seekers, v_companies)
        ON CONFLICT (event_id, backend) DO UPDATE
            SET seekers = t.seekers + excluded.seekers,
                companies = t.companies + excluded.companies;
    END IF;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER checkins_tally
    AFTER INSERT OR DELETE OR UPDATE OF event_id, registration_id, participation_id,
        undone_at ON checkins
    FOR EACH ROW EXECUTE FUNCTION checkin_tally();

CREATE OR REPLACE FUNCTION checkin_tally_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM checkin_tallies;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER checkins_tally_truncate AFTER TRUNCATE ON checkins
    FOR EACH STATEMENT EXECUTE FUNCTION checkin_tally_truncate();

CREATE OR REPLACE FUNCTION checkin_counts(p_event bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT jsonb_build_object(
                'seekers', jsonb_build_object(
                    'checked_in', coalesce(sum(t.seekers), 0), 'target', e.target_seekers),
                'companies', jsonb_build_object(
                    'checked_in', coalesce(sum(t.companies), 0), 'target', e.target_companies))
            FROM events e
            LEFT JOIN checkin_tallies t ON t.event_id = e.id
            WHERE e.id = p_event
            GROUP BY e.id);
END;
$$;

-- The event's numbers, aggregates only (a viewer may see them); NULL for
-- an unknown event. Supporters are counted apart from job seekers.
CREATE OR REPLACE FUNCTION checkin_stats(p_event bigint) RETURNS jsonb
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
        FROM seeker_categories AS c (cat)
        LEFT JOIN reg ON cat = ANY (reg.categories)
        GROUP BY cat
    ), booths AS (
        SELECT p.status, c.id IS NOT NULL AS came
        FROM participations p
        LEFT JOIN checkins c ON c.participation_id = p.id AND c.undone_at IS NULL
        WHERE p.event_id = p_event
    ), arrived AS (
        -- Job seekers' check-ins not undone, by half hour of Japan's
        -- clock; the desk's scan time, so an offline desk's uploaded
        -- scans count when the people came.
        SELECT date_bin('30 minutes', coalesce(c.scanned_at, c.checked_in_at) AT TIME ZONE 'Asia/Tokyo',
                        timestamp '2000-01-01') AS slot, count(*) AS n
        FROM checkins c
        WHERE c.event_id = p_event AND c.undone_at IS NULL AND c.registration_id IS NOT NULL
        GROUP BY 1
    ), slots AS (
        -- Every half hour of the event's opening hours (one day at most),
        -- empty ones too, and any other half hour someone came in.
        SELECT generate_series(date_bin('30 minutes', e.starts_at AT TIME ZONE 'Asia/Tokyo', timestamp '2000-01-01'),
                               least(e.ends_at AT TIME ZONE 'Asia/Tokyo' - interval '1 second',
                                     (e.starts_at AT TIME ZONE 'Asia/Tokyo') + interval '23 hours 59 minutes'),
                               interval '30 minutes') AS slot
        FROM events e WHERE e.id = p_event
        UNION SELECT slot FROM arrived
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
        'arrivals', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                             'slot', to_char(s.slot, 'HH24:MI'),
                             'checked_in', coalesce(a.n, 0)) ORDER BY s.slot), '[]'::jsonb)
                     FROM slots s LEFT JOIN arrived a ON a.slot = s.slot),
        'targets', jsonb_build_object('seekers', e.target_seekers,
                                      'companies', e.target_companies,
                                      'capacity', e.capacity),
        'queues', queue_lengths(p_event))
    FROM events e WHERE e.id = p_event;
$$;

-- The event's numbers as a role may see them: 'full' for organizers and
-- admins; for the front desk and viewers ('desk') totals against targets
-- only. A count per category, or of supporters, moves when one person is
-- checked in, and so tells whoever checked them in (or watches the
-- stream beside the desk) that person's categories.
CREATE OR REPLACE FUNCTION checkin_stats_for(p_stats jsonb, p_view text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_view = 'full' THEN p_stats
                ELSE p_stats - 'by_category' - 'supporters' END;
$$;

-- The answer a scan with this nonce already got, NULL if none.
CREATE OR REPLACE FUNCTION checkin_prior_answer(p_event bigint, p_nonce text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_prior scans;
BEGIN
    SELECT * INTO v_prior FROM scans WHERE nonce = p_nonce;
    IF FOUND AND v_prior.event_id <> p_event THEN
        RAISE EXCEPTION 'was already used for a scan at another event'
            USING ERRCODE = 'JF409', COLUMN = 'nonce';
    END IF;
    RETURN v_prior.response;
END;
$$;

-- The scan row is now written once, with its answer, at the end: the
-- nonce claim up front cost an INSERT and an UPDATE of the same row.
-- A retry that arrives after the scan committed finds the answer first
-- thing. A twin racing the scan does the same lookups, waits on the
-- partial unique index of checkins (or on the scan's nonce) until the
-- first commits, then finds the first one's answer; only a nonce reused
-- for a different person could check someone in and then collide, and
-- that is refused as a whole.
CREATE OR REPLACE FUNCTION api_checkin(p_user bigint, p_event bigint, p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_nonce text := p->>'nonce';
    v_token text := p->>'token';
    v_desk text := p->>'desk';
    v_offline boolean := coalesce((p->>'offline')::boolean, false);
    v_scanned timestamptz := (p->>'scanned_at')::timestamptz;
    v_answer jsonb;
    v_kind text;
    v_subject bigint;
    v_subject_event bigint;
    v_status text;
    v_name text;
    v_company bigint;
    v_result text;
    v_checkin checkins;
    v_conflict boolean := false;
BEGIN
    PERFORM checkin_event_open(p_event);
    v_answer := checkin_prior_answer(p_event, v_nonce);
    IF v_answer IS NOT NULL THEN
        RETURN v_answer;
    END IF;

    IF p->>'registration_id' IS NOT NULL THEN
        -- By id, without the QR code: limited as a lookup is (the server
        -- gives the limit to the single check-in, see checkin.c).
        IF p ? 'id_limit' THEN
            PERFORM lookup_rate_check(p_user, (p->>'id_limit')::int);
        END IF;
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
    ELSIF NOT checkin_on_event_day(p_event, CASE WHEN v_offline
                                                 THEN least(coalesce(v_scanned, now()), now())
                                                 ELSE now() END) THEN
        v_result := 'not_event_day';
    ELSE
        -- The partial unique indexes decide who was first; a concurrent
        -- first scan waits here and then finds the winner's row. They are
        -- the table's only unique indexes besides the serial key, so any
        -- conflict is that one.
        INSERT INTO checkins (event_id, registration_id, participation_id, desk,
                              scanned_at, checked_in_at, user_id, offline)
        VALUES (p_event, CASE WHEN v_kind = 'seeker' THEN v_subject END,
                CASE WHEN v_kind = 'company' THEN v_subject END, v_desk, v_scanned,
                CASE WHEN v_offline THEN least(coalesce(v_scanned, now()), now())
                     ELSE now() END,
                p_user, v_offline)
        ON CONFLICT DO NOTHING
        RETURNING * INTO v_checkin;
        IF v_checkin.id IS NOT NULL THEN
            -- Audited by the scan row written below (audit_trail in
            -- sql/audit.sql): an audit_log row beside it was ~7 % of a
            -- check-in's PostgreSQL time.
            v_result := 'checked_in';
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
    IF v_result IN ('wrong_event', 'not_event_day') THEN
        -- Where and when the person should be, so the desk can tell them.
        v_answer := v_answer || (
            SELECT jsonb_build_object('event', jsonb_build_object(
                       'id', e.id, 'title', e.title, 'starts_at', rfc3339_jst(e.starts_at)))
            FROM events e WHERE e.id = v_subject_event);
    END IF;
    IF v_kind = 'seeker' AND v_result <> 'wrong_event' THEN
        -- What the desk must act on (an interpreter, a wheelchair, people
        -- coming along), with the kana to call the person by; never the
        -- handbook, which the desk has no need to see.
        v_answer := v_answer || (
            SELECT jsonb_build_object('registration_id', r.id, 'name_kana', r.name_kana,
                                      'accommodations', to_jsonb(r.accommodations),
                                      'supporters', r.supporters)
            FROM registrations r WHERE r.id = v_subject);
    ELSIF v_kind = 'company' AND v_result <> 'wrong_event' THEN
        v_answer := v_answer || jsonb_build_object('company_id', v_company);
    END IF;

    INSERT INTO scans (event_id, nonce, token, desk, scanned_at, user_id, offline,
                       result, checkin_id, response, by_id)
    VALUES (p_event, v_nonce, left(v_token, 200), v_desk, v_scanned, p_user, v_offline,
            v_result, v_checkin.id, v_answer, p ? 'registration_id')
    ON CONFLICT (nonce) DO NOTHING;
    IF FOUND THEN
        RETURN v_answer;
    END IF;
    IF v_result = 'checked_in' THEN
        RAISE EXCEPTION 'was already used for a different scan'
            USING ERRCODE = 'JF409', COLUMN = 'nonce';
    END IF;
    RETURN checkin_prior_answer(p_event, v_nonce);
END;
$$;

-- An offline desk's journal: each scan answered as api_checkin would, in
-- order, all in one transaction.
CREATE OR REPLACE FUNCTION api_checkin_batch(p_user bigint, p_event bigint, p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_scan jsonb;
    v_results jsonb := '[]';
BEGIN
    PERFORM checkin_event_open(p_event);
    FOR v_scan IN SELECT s.value FROM jsonb_array_elements(p->'scans') WITH ORDINALITY AS s
                  ORDER BY s.ordinality LOOP
        v_results := v_results || jsonb_build_array(api_checkin(p_user, p_event, v_scan));
    END LOOP;
    RETURN jsonb_build_object('results', v_results);
END;
$$;

-- Group commit: the check-ins that waited for the pool at the same
-- moment, possibly from different users and events, in one statement and
-- one transaction. Each is answered exactly as api_checkin would alone:
-- two scans of one token in arrival order (the first checks in, the
-- second is already_checked_in), a nonce seen earlier replays its answer.
-- Scans of different people are independent, so they run in the order of
-- their tokens: two servers' groups then take the check-in's unique index
-- entries in one order and never deadlock on each other. Each runs in a
-- subtransaction of its own, so a scan that fails is rolled back alone
-- and marked `failed`; the server then runs it again by itself to give
-- its client the error as it is. Groups stay small (the server sends at
-- most 32) so the subtransactions fit PostgreSQL's per-backend cache and
-- never slow others' snapshots. Answers come back in the arrays' order.
CREATE OR REPLACE FUNCTION api_checkin_many(p_users bigint[], p_events bigint[], p jsonb[])
RETURNS TABLE (answer jsonb, failed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_answers jsonb[];
    v_failed boolean[];
    i int;
BEGIN
    IF p IS NULL OR cardinality(p_users) IS DISTINCT FROM cardinality(p)
       OR cardinality(p_events) IS DISTINCT FROM cardinality(p) THEN
        RAISE EXCEPTION 'users, events and scans must be arrays of one length';
    END IF;
    v_answers := array_fill(NULL::jsonb, ARRAY[cardinality(p)]);
    v_failed := array_fill(false, ARRAY[cardinality(p)]);
    FOR i IN SELECT s.i FROM unnest(p) WITH ORDINALITY AS s (scan, i)
             ORDER BY s.scan->>'token', s.scan->>'registration_id', s.i LOOP
        BEGIN
            v_answers[i] := api_checkin(p_users[i], p_events[i], p[i]);
        EXCEPTION WHEN OTHERS THEN
            v_failed[i] := true;
        END;
    END LOOP;
    RETURN QUERY SELECT a.answer, a.failed
                 FROM unnest(v_answers, v_failed) WITH ORDINALITY AS a (answer, failed, n)
                 ORDER BY a.n;
END;
$$;

-- A desk's mistake taken back; the row stays, marked, for the audit.
CREATE OR REPLACE FUNCTION api_checkin_undo(p_user bigint, p_event bigint, p_checkin bigint)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    c checkins;
BEGIN
    PERFORM checkin_event_open(p_event);
    PERFORM checkin_event_day_check(p_event);
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

-- The desk's ways to name a person without their QR code (a lookup, a
-- check-in by id) are limited per user: p_limit in any minute, counted
-- from the audit trail (so across servers): lookups and the check-ins by
-- id of before 0029 in the audit log by the index of 0015, later
-- check-ins by id in the scan log by that of 0029. Beyond it, JF429 with
-- the seconds to wait as the hint (Retry-After).
CREATE OR REPLACE FUNCTION lookup_rate_check(p_user bigint, p_limit int) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_count int;
    v_oldest timestamptz;
BEGIN
    SELECT count(*), min(t.at) INTO v_count, v_oldest
    FROM (SELECT at FROM audit_log
          WHERE user_id = p_user AND at > now() - interval '1 minute'
            AND (action = 'lookup' OR (action = 'checkin' AND detail ? 'by_id'))
          UNION ALL
          SELECT received_at FROM scans
          WHERE user_id = p_user AND received_at > now() - interval '1 minute'
            AND by_id AND result = 'checked_in') t;
    IF v_count >= p_limit THEN
        RAISE EXCEPTION 'too many lookups by this user; try again shortly'
            USING ERRCODE = 'JF429',
                  HINT = greatest(1, ceil(extract(epoch FROM
                             v_oldest + interval '1 minute' - now())))::int::text;
    END IF;
END;
$$;

-- A lookup at the desk, by kana or name (p_key: NFKC, katakana, no
-- spaces, as text_search_key_new() leaves it), optionally with the last
-- four digits of the phone (p_last4), or by a whole phone number
-- (p_phone, digits). A phone is never matched on part of its digits and
-- never shown: a run of digits would give the number away one digit at
-- a time. The audit row keeps the search text and the ids shown.
-- The four-argument form of 0005 matched any run of digits in a phone.
DROP FUNCTION IF EXISTS api_lookup(bigint, bigint, text, text);
CREATE OR REPLACE FUNCTION api_lookup(p_user bigint, p_event bigint, p_limit int,
                                      p_q text, p_key text, p_phone text, p_last4 text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_items jsonb;
    v_ids jsonb;
BEGIN
    PERFORM checkin_event_check(p_event);
    PERFORM lookup_rate_check(p_user, p_limit);
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
            AND CASE WHEN p_phone IS NOT NULL THEN r.phone = p_phone
                     ELSE (strpos(replace(r.name_kana, ' ', ''), p_key) > 0
                           OR strpos(replace(normalize(r.name, NFKC), ' ', ''), p_key) > 0)
                          AND (p_last4 IS NULL OR right(r.phone, 4) = p_last4) END
          ORDER BY r.name_kana, r.id
          LIMIT 50) f;
    PERFORM audit(p_user, 'lookup', 'event_registrations', p_event,
                  jsonb_build_object('q', p_q, 'ids', v_ids));
    RETURN jsonb_build_object('items', v_items);
END;
$$;
