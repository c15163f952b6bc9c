-- The waiting queue at each booth (面談の待ち, the digital 面談カード):
-- scanned at a booth, a job seeker waits; the booth calls the next
-- (呼び出し), then marks them interviewed (面談済み, the interview
-- recorded by api_interview_record) or absent (不在). Tables and the
-- promises they keep: migrations/0022_booth_queue.sql.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent. Sorted before checkin.sql,
-- whose checkin_stats reads queue_lengths.

-- Every booth's waiting count, for the stats everyone sees: the company
-- and its booth, never a person.
CREATE OR REPLACE FUNCTION queue_lengths(p_event bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'company_id', c.id, 'company_name', c.name, 'booth', p.booth,
               'waiting', (SELECT count(*) FROM queue_entries q
                           WHERE q.participation_id = p.id AND q.state = 'waiting'))
             ORDER BY p.booth NULLS LAST, c.name_kana, c.id), '[]')
    FROM participations p JOIN companies c ON c.id = p.company_id
    WHERE p.event_id = p_event AND p.status <> 'cancelled';
$$;

-- The booth of a company at the event, as a path names it.
CREATE OR REPLACE FUNCTION queue_booth(p_event bigint, p_company bigint)
RETURNS participations LANGUAGE plpgsql STABLE AS $$
DECLARE
    p participations;
BEGIN
    SELECT * INTO p FROM participations WHERE event_id = p_event AND company_id = p_company;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'company has no booth at this event' USING ERRCODE = 'JF404';
    ELSIF p.status = 'cancelled' THEN
        RAISE EXCEPTION 'company cancelled its booth' USING ERRCODE = 'JF409';
    END IF;
    RETURN p;
END;
$$;

-- A booth's figures: its waiting count, who is called, interviews held.
CREATE OR REPLACE FUNCTION queue_booth_json(p participations) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN jsonb_build_object(
        'company_id', p.company_id,
        'company_name', (SELECT name FROM companies WHERE id = p.company_id),
        'booth', p.booth,
        'waiting', (SELECT count(*) FROM queue_entries WHERE participation_id = p.id AND state = 'waiting'),
        'called', (SELECT count(*) FROM queue_entries WHERE participation_id = p.id AND state = 'called'),
        'interviews', (SELECT count(*) FROM interviews WHERE participation_id = p.id));
END;
$$;

-- An entry as the booth sees it: the person's name and kana (what the
-- front desk sees of a registration), never the 手帳 or other details;
-- a waiting person's place in the queue (1 is next).
CREATE OR REPLACE FUNCTION queue_entry_json(e queue_entries) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF e.id IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT jsonb_build_object(
        'id', e.id, 'registration_id', e.registration_id, 'state', e.state,
        'place', CASE WHEN e.state = 'waiting' THEN
                     (SELECT count(*) FROM queue_entries q
                      WHERE q.participation_id = e.participation_id
                        AND q.state = 'waiting' AND q.id <= e.id) END,
        'name', r.name, 'name_kana', r.name_kana,
        'interview_id', e.interview_id,
        'enqueued_at', rfc3339_jst(e.enqueued_at), 'called_at', rfc3339_jst(e.called_at),
        'finished_at', rfc3339_jst(e.finished_at))
        FROM registrations r WHERE r.id = e.registration_id);
END;
$$;

-- The answer to a queue request: what happened, the entry it concerns,
-- the booth's figures, and the other queues the person waits in (so the
-- booth can tell them).
CREATE OR REPLACE FUNCTION queue_answer(p_result text, p participations, e queue_entries)
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN json_build_object(
        'result', p_result, 'entry', queue_entry_json(e), 'booth', queue_booth_json(p),
        'elsewhere', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'company_name', c.name, 'booth', o.booth, 'state', q.state,
                          'place', (queue_entry_json(q) ->> 'place')::int) ORDER BY q.id), '[]')
                      FROM queue_entries q
                      JOIN participations o ON o.id = q.participation_id
                      JOIN companies c ON c.id = o.company_id
                      WHERE q.registration_id = e.registration_id AND q.participation_id <> p.id
                        AND q.state IN ('waiting', 'called')));
END;
$$;

-- An audit row of a queue action, by a user or by a booth's access link
-- (server/links.h: then p_user is NULL and the link is named).
CREATE OR REPLACE FUNCTION queue_audit(p_user bigint, p_link bigint, p_action text, p_type text,
                                       p_id bigint, p_detail jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM audit(p_user, p_action, p_type, p_id,
                  p_detail || CASE WHEN p_link IS NULL THEN '{}'::jsonb
                                   ELSE jsonb_build_object('link_id', p_link) END);
END;
$$;

-- Claims a request's nonce. NULL: the request is new and acts. Else the
-- row of the earlier request with this nonce, which committed first (a
-- twin racing it waited on the key): the caller answers as it did. A
-- nonce used for another kind of request, booth, person or entry: 409.
CREATE OR REPLACE FUNCTION queue_claim(p_user bigint, p_nonce text, p_kind text,
                                       p participations, p_registration bigint, p_entry bigint)
RETURNS queue_actions LANGUAGE plpgsql AS $$
DECLARE
    a queue_actions;
BEGIN
    INSERT INTO queue_actions (nonce, kind, participation_id, registration_id, entry_id, user_id)
    VALUES (p_nonce, p_kind, p.id, p_registration, p_entry, p_user)
    ON CONFLICT (nonce) DO NOTHING;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    SELECT * INTO a FROM queue_actions WHERE nonce = p_nonce;
    IF a.kind <> p_kind OR a.participation_id <> p.id
       OR (p_registration IS NOT NULL AND a.registration_id IS DISTINCT FROM p_registration)
       OR (p_kind IN ('done', 'absent') AND a.entry_id IS DISTINCT FROM p_entry) THEN
        RAISE EXCEPTION 'nonce was used for another request' USING ERRCODE = 'JF409', COLUMN = 'nonce';
    END IF;
    RETURN a;
END;
$$;

CREATE OR REPLACE FUNCTION queue_record(p_nonce text, p_result text, e queue_entries)
RETURNS void LANGUAGE sql AS $$
    UPDATE queue_actions SET result = p_result, entry_id = e.id WHERE nonce = p_nonce;
$$;

-- The scan's body, if the caller may send it: a booth's access link
-- (company staff, no account) only by the QR code's token, which the
-- person shows; a registration_id would let it read every registered
-- person's name by counting up the ids.
CREATE OR REPLACE FUNCTION queue_scan_body(p_link bigint, p_body jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_link IS NOT NULL AND NOT p_body ? 'token' THEN
        RAISE EXCEPTION 'a booth link queues a person by their QR code only'
            USING ERRCODE = 'JF403';
    END IF;
    RETURN p_body;
END;
$$;

-- A scan at the booth: {token | registration_id, nonce}. The person joins
-- the end of the queue ('queued'); already waiting or called there:
-- 'already_queued' with their entry; already interviewed there:
-- 'interviewed' and no entry.
CREATE OR REPLACE FUNCTION api_queue_enqueue(p_user bigint, p_link bigint, p_event bigint, p_company bigint, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    p participations := queue_booth(p_event, p_company);
    r registrations := interview_registration(p_event, queue_scan_body(p_link, p_body));
    a queue_actions := queue_claim(p_user, p_body ->> 'nonce', 'enqueue', p, r.id, NULL);
    e queue_entries;
    v_result text;
BEGIN
    IF a.nonce IS NOT NULL THEN
        SELECT * INTO e FROM queue_entries WHERE id = a.entry_id;
        RETURN queue_answer(a.result, p, e);
    END IF;
    PERFORM 1 FROM interviews WHERE registration_id = r.id AND company_id = p.company_id;
    IF FOUND THEN
        v_result := 'interviewed';
    ELSE
        INSERT INTO queue_entries (event_id, participation_id, registration_id, created_by)
        VALUES (p_event, p.id, r.id, p_user)
        ON CONFLICT (participation_id, registration_id) WHERE state IN ('waiting', 'called')
        DO NOTHING
        RETURNING * INTO e;
        IF FOUND THEN
            v_result := 'queued';
            PERFORM queue_audit(p_user, p_link, 'enqueue', 'queue_entry', e.id,
                          jsonb_build_object('event_id', p_event, 'company_id', p.company_id,
                                             'registration_id', r.id));
        ELSE
            v_result := 'already_queued';
            SELECT * INTO e FROM queue_entries
            WHERE participation_id = p.id AND registration_id = r.id
              AND state IN ('waiting', 'called');
        END IF;
    END IF;
    PERFORM queue_record(p_body ->> 'nonce', v_result, e);
    RETURN queue_answer(v_result, p, e);
END;
$$;

-- 次へ: calls the first who waits at this booth and is not called at
-- another booth right now ('called', with their name), or 'empty'. Two
-- staff pressing at once lock different rows (SKIP LOCKED); someone
-- called at another booth at this very moment is refused by
-- queue_entries_one_call and skipped: they keep their place here.
CREATE OR REPLACE FUNCTION api_queue_call(p_user bigint, p_link bigint, p_event bigint, p_company bigint, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    p participations := queue_booth(p_event, p_company);
    a queue_actions := queue_claim(p_user, p_body ->> 'nonce', 'call', p, NULL, NULL);
    e queue_entries;
    v_skip bigint[] := '{}';
    v_result text := 'empty';
BEGIN
    IF a.nonce IS NOT NULL THEN
        SELECT * INTO e FROM queue_entries WHERE id = a.entry_id;
        RETURN queue_answer(a.result, p, e);
    END IF;
    LOOP
        SELECT * INTO e FROM queue_entries q
        WHERE q.participation_id = p.id AND q.state = 'waiting' AND q.id <> ALL (v_skip)
          AND NOT EXISTS (SELECT 1 FROM queue_entries o
                          WHERE o.registration_id = q.registration_id AND o.state = 'called')
        ORDER BY q.id LIMIT 1
        FOR UPDATE SKIP LOCKED;
        EXIT WHEN NOT FOUND;
        BEGIN
            UPDATE queue_entries SET state = 'called', called_at = now(), called_by = p_user
            WHERE id = e.id RETURNING * INTO e;
            v_result := 'called';
            EXIT;
        EXCEPTION WHEN unique_violation THEN
            v_skip := v_skip || e.id;
        END;
    END LOOP;
    IF v_result = 'called' THEN
        PERFORM queue_audit(p_user, p_link, 'call', 'queue_entry', e.id,
                      jsonb_build_object('event_id', p_event, 'company_id', p.company_id));
    ELSE
        e := NULL;
    END IF;
    PERFORM queue_record(p_body ->> 'nonce', v_result, e);
    RETURN queue_answer(v_result, p, e);
END;
$$;

-- 面談済み ('done': the interview recorded, or the one already there) or
-- 不在 ('absent') for one entry, from waiting or called. A person marked
-- absent who comes back may be marked interviewed; an interviewed one
-- stays so ('already_done').
CREATE OR REPLACE FUNCTION api_queue_finish(p_user bigint, p_link bigint, p_event bigint, p_company bigint,
                                            p_entry bigint, p_kind text, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    p participations := queue_booth(p_event, p_company);
    a queue_actions := queue_claim(p_user, p_body ->> 'nonce', p_kind, p, NULL, p_entry);
    e queue_entries;
    v_interview json;
    v_result text;
BEGIN
    SELECT * INTO e FROM queue_entries WHERE id = p_entry AND participation_id = p.id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such queue entry' USING ERRCODE = 'JF404';
    END IF;
    IF a.nonce IS NOT NULL THEN
        RETURN queue_answer(a.result, p, e);
    END IF;
    IF e.state = 'done' THEN
        v_result := 'already_done';
    ELSIF p_kind = 'absent' AND e.state = 'absent' THEN
        v_result := 'already_absent';
    ELSIF p_kind = 'absent' THEN
        UPDATE queue_entries SET state = 'absent', finished_at = now(), finished_by = p_user
        WHERE id = e.id RETURNING * INTO e;
        v_result := 'absent';
    ELSE
        SELECT answer INTO v_interview
        FROM api_interview_record(p_user, p_event,
                                  jsonb_build_object('company_id', p.company_id,
                                                     'registration_id', e.registration_id,
                                                     'nonce', p_body ->> 'nonce'));
        UPDATE queue_entries SET state = 'done', finished_at = now(), finished_by = p_user,
                                 interview_id = (v_interview -> 'interview' ->> 'id')::bigint
        WHERE id = e.id RETURNING * INTO e;
        v_result := 'done';
    END IF;
    IF v_result IN ('done', 'absent') THEN
        PERFORM queue_audit(p_user, p_link, v_result, 'queue_entry', e.id,
                      jsonb_build_object('event_id', p_event, 'company_id', p.company_id));
    END IF;
    PERFORM queue_record(p_body ->> 'nonce', v_result, e);
    RETURN queue_answer(v_result, p, e);
END;
$$;

-- The booth's queue: its figures and the people called and waiting, in
-- order, with their names; a read of personal data, so audited.
CREATE OR REPLACE FUNCTION api_queue_get(p_user bigint, p_link bigint, p_event bigint, p_company bigint)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    p participations := queue_booth(p_event, p_company);
    v_items jsonb;
    v_ids bigint[];
BEGIN
    SELECT coalesce(jsonb_agg(queue_entry_json(q) ORDER BY q.state <> 'called', q.id), '[]'),
           coalesce(array_agg(q.id ORDER BY q.id), '{}')
    INTO v_items, v_ids
    FROM queue_entries q
    WHERE q.participation_id = p.id AND q.state IN ('waiting', 'called');
    PERFORM queue_audit(p_user, p_link, 'list', 'booth_queue', p.id, jsonb_build_object('ids', to_jsonb(v_ids)));
    RETURN json_build_object('booth', queue_booth_json(p), 'items', v_items);
END;
$$;
