-- Interviews at booths and their outcomes.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- The interview answer a booth sees.
CREATE OR REPLACE FUNCTION interview_json(i interviews) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', i.id, 'event_id', i.event_id, 'registration_id', i.registration_id,
        'company_id', i.company_id, 'company_name', c.name, 'booth', p.booth,
        'outcome', i.outcome, 'outcome_date', i.outcome_date,
        'created_at', rfc3339_jst(i.created_at), 'updated_at', rfc3339_jst(i.updated_at))
    FROM companies c, participations p
    WHERE c.id = i.company_id AND p.id = i.participation_id;
$$;

-- The registration a token or id names, checked against the event; the
-- error names whichever field the caller used.
CREATE OR REPLACE FUNCTION interview_registration(p_event bigint, p_row jsonb, p_prefix text DEFAULT '')
RETURNS registrations LANGUAGE plpgsql STABLE AS $$
DECLARE
    r registrations;
    v_field text := p_prefix || CASE WHEN p_row ? 'token' THEN 'token' ELSE 'registration_id' END;
BEGIN
    IF p_row ? 'token' THEN
        SELECT * INTO r FROM registrations WHERE checkin_token = p_row ->> 'token';
    ELSE
        SELECT * INTO r FROM registrations WHERE id = (p_row ->> 'registration_id')::bigint;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such job seeker' USING ERRCODE = 'JF404', COLUMN = v_field;
    ELSIF r.event_id <> p_event THEN
        RAISE EXCEPTION 'is registered for another event' USING ERRCODE = 'JF409', COLUMN = v_field;
    ELSIF r.status = 'cancelled' THEN
        RAISE EXCEPTION 'registration is cancelled' USING ERRCODE = 'JF409', COLUMN = v_field;
    END IF;
    RETURN r;
END;
$$;

-- The company's booth at the event, by company_id or corporate_number.
CREATE OR REPLACE FUNCTION interview_participation(p_event bigint, p_row jsonb, p_prefix text DEFAULT '')
RETURNS participations LANGUAGE plpgsql STABLE AS $$
DECLARE
    p participations;
    v_field text := p_prefix || CASE WHEN p_row ? 'corporate_number' THEN 'corporate_number'
                                     ELSE 'company_id' END;
BEGIN
    SELECT pa.* INTO p
    FROM participations pa JOIN companies c ON c.id = pa.company_id
    WHERE pa.event_id = p_event
      AND CASE WHEN p_row ? 'corporate_number'
               THEN c.corporate_number = p_row ->> 'corporate_number'
               ELSE c.id = (p_row ->> 'company_id')::bigint END;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'company has no booth at this event' USING ERRCODE = 'JF422', COLUMN = v_field;
    ELSIF p.status = 'cancelled' THEN
        RAISE EXCEPTION 'company cancelled its booth' USING ERRCODE = 'JF409', COLUMN = v_field;
    END IF;
    RETURN p;
END;
$$;

-- Records an interview scanned at a booth. A retry with the same nonce
-- gets the same answer; a second scan of the same job seeker at the same
-- booth answers with the interview already there. Returns the HTTP
-- status and the answer.
CREATE OR REPLACE FUNCTION api_interview_record(p_user bigint, p_event bigint, p_body jsonb,
                                     OUT status int, OUT answer json)
LANGUAGE plpgsql AS $$
DECLARE
    i interviews;
    r registrations;
    p participations;
BEGIN
    SELECT iv.* INTO i FROM interviews iv WHERE iv.nonce = p_body ->> 'nonce';
    IF FOUND THEN
        SELECT * INTO r FROM registrations WHERE id = i.registration_id;
        IF i.event_id <> p_event OR i.company_id <> (p_body ->> 'company_id')::bigint
           OR NOT (r.id IS NOT DISTINCT FROM (p_body ->> 'registration_id')::bigint
                   OR r.checkin_token IS NOT DISTINCT FROM p_body ->> 'token') THEN
            RAISE EXCEPTION 'nonce was used for another interview'
                USING ERRCODE = 'JF409', COLUMN = 'nonce';
        END IF;
        status := 201;
        answer := json_build_object('result', 'recorded', 'interview', interview_json(i));
        RETURN;
    END IF;
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    r := interview_registration(p_event, p_body);
    p := interview_participation(p_event, p_body);
    INSERT INTO interviews (event_id, registration_id, participation_id, company_id, nonce,
                            created_by, updated_by)
    VALUES (p_event, r.id, p.id, p.company_id, p_body ->> 'nonce', p_user, p_user)
    ON CONFLICT DO NOTHING
    RETURNING * INTO i;
    IF FOUND THEN
        PERFORM audit(p_user, 'create', 'interview', i.id,
                      jsonb_build_object('event_id', p_event, 'registration_id', r.id,
                                         'company_id', p.company_id));
        status := 201;
        answer := json_build_object('result', 'recorded', 'interview', interview_json(i));
        RETURN;
    END IF;
    -- Lost a race: either the same scan retried at once (same nonce) or
    -- another desk recorded this job seeker at this booth.
    SELECT * INTO i FROM interviews WHERE registration_id = r.id AND company_id = p.company_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'nonce was used for another interview'
            USING ERRCODE = 'JF409', COLUMN = 'nonce';
    END IF;
    status := CASE WHEN i.nonce = p_body ->> 'nonce' THEN 201 ELSE 200 END;
    answer := json_build_object('result', CASE WHEN status = 201 THEN 'recorded'
                                               ELSE 'already_recorded' END,
                                'interview', interview_json(i));
END;
$$;

-- The date of an outcome: pending has none; any other outcome takes the
-- date given, else the one it had, else today in Japan. A date before
-- the event, or one given for pending, is refused under p_field.
CREATE OR REPLACE FUNCTION interview_outcome_date(i interviews, p_outcome text, p_row jsonb, p_field text)
RETURNS date LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_date date;
BEGIN
    IF p_outcome = 'pending' THEN
        IF p_row ->> 'outcome_date' IS NOT NULL THEN
            RAISE EXCEPTION 'a pending interview has no outcome date'
                USING ERRCODE = 'JF422', COLUMN = p_field;
        END IF;
        RETURN NULL;
    END IF;
    v_date := coalesce((p_row ->> 'outcome_date')::date, i.outcome_date,
                       (now() AT TIME ZONE 'Asia/Tokyo')::date);
    IF v_date < (SELECT (starts_at AT TIME ZONE 'Asia/Tokyo')::date FROM events WHERE id = i.event_id) THEN
        RAISE EXCEPTION 'is before the event' USING ERRCODE = 'JF422', COLUMN = p_field;
    END IF;
    RETURN v_date;
END;
$$;

-- Follow-up on one interview: {outcome, outcome_date}.
CREATE OR REPLACE FUNCTION api_interview_update(p_user bigint, p_id bigint, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    i interviews;
    v_outcome text;
    v_date date;
BEGIN
    SELECT * INTO i FROM interviews WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such interview' USING ERRCODE = 'JF404';
    END IF;
    IF NOT (p_body ? 'outcome' OR p_body ? 'outcome_date') THEN
        RAISE EXCEPTION 'give outcome or outcome_date' USING ERRCODE = 'JF422', COLUMN = 'outcome';
    END IF;
    v_outcome := coalesce(p_body ->> 'outcome', i.outcome);
    v_date := interview_outcome_date(i, v_outcome, p_body, 'outcome_date');
    UPDATE interviews SET outcome = v_outcome, outcome_date = v_date,
                          updated_by = p_user, updated_at = now()
    WHERE id = p_id RETURNING * INTO i;
    PERFORM audit(p_user, 'update', 'interview', p_id, p_body);
    RETURN interview_json(i);
END;
$$;

-- The outcomes a company sends back, all or nothing: every row is checked
-- first and every problem reported as {"errors": {"rows[N].field": why}}
-- with nothing written; else each row sets the outcome of that job
-- seeker's interview with that company, recording the interview if no
-- booth scanned it.
CREATE OR REPLACE FUNCTION api_outcomes_import(p_user bigint, p_event bigint, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    v_row jsonb;
    v_n int := 0;
    v_prefix text;
    v_errors jsonb := '{}';
    v_seen jsonb := '{}';
    v_key text;
    r registrations;
    p participations;
    i interviews;
    v_regs bigint[] := '{}';
    v_parts bigint[] := '{}';
    v_companies bigint[] := '{}';
    v_outcomes text[] := '{}';
    v_dates date[] := '{}';
    v_created int;
    v_updated int;
BEGIN
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    FOR v_row IN SELECT x FROM jsonb_array_elements(p_body -> 'rows') AS x LOOP
        v_prefix := format('rows[%s].', v_n);
        BEGIN
            r := interview_registration(p_event, v_row, v_prefix);
            p := interview_participation(p_event, v_row, v_prefix);
            v_key := r.id || '/' || p.company_id;
            IF v_seen ? v_key THEN
                RAISE EXCEPTION 'repeats row %', v_seen ->> v_key
                    USING ERRCODE = 'JF422', COLUMN = v_prefix || 'outcome';
            END IF;
            v_seen := v_seen || jsonb_build_object(v_key, v_n);
            SELECT * INTO i FROM interviews WHERE registration_id = r.id AND company_id = p.company_id;
            IF NOT FOUND THEN
                i.event_id := p_event;
            END IF;
            v_regs := v_regs || r.id;
            v_parts := v_parts || p.id;
            v_companies := v_companies || p.company_id;
            v_outcomes := v_outcomes || (v_row ->> 'outcome');
            v_dates := v_dates || interview_outcome_date(i, v_row ->> 'outcome', v_row,
                                                         v_prefix || 'outcome_date');
        EXCEPTION WHEN SQLSTATE 'JF404' OR SQLSTATE 'JF409' OR SQLSTATE 'JF422' THEN
            DECLARE
                v_column text;
                v_message text;
            BEGIN
                GET STACKED DIAGNOSTICS v_column = COLUMN_NAME, v_message = MESSAGE_TEXT;
                v_errors := v_errors || jsonb_build_object(v_column, v_message);
            END;
        END;
        v_n := v_n + 1;
    END LOOP;
    IF v_errors <> '{}' THEN
        RETURN json_build_object('errors', v_errors);
    END IF;
    WITH up AS (
        INSERT INTO interviews (event_id, registration_id, participation_id, company_id,
                                outcome, outcome_date, created_by, updated_by)
        SELECT p_event, u.reg, u.part, u.company, u.outcome, u.day, p_user, p_user
        FROM unnest(v_regs, v_parts, v_companies, v_outcomes, v_dates)
             AS u (reg, part, company, outcome, day)
        ON CONFLICT (registration_id, company_id) DO UPDATE
            SET outcome = EXCLUDED.outcome, outcome_date = EXCLUDED.outcome_date,
                updated_by = p_user, updated_at = now()
        RETURNING id, xmax = 0 AS created, outcome, outcome_date),
    logged AS (
        INSERT INTO audit_log (user_id, action, object_type, object_id, detail)
        SELECT p_user, 'import_outcome', 'interview', up.id,
               jsonb_build_object('outcome', up.outcome, 'outcome_date', up.outcome_date,
                                  'created', up.created)
        FROM up)
    SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
    INTO v_created, v_updated FROM up;
    RETURN json_build_object('rows', v_n, 'created', v_created, 'updated', v_updated);
END;
$$;

-- The event's interviews for the organizers' follow-up, with the job
-- seekers' names: a read of personal data, so audited by interview id.
CREATE OR REPLACE FUNCTION api_interviews_list(p_user bigint, p_event bigint, q jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    items json[];
    ids bigint[];
BEGIN
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    SELECT array_agg(j ORDER BY id), array_agg(id ORDER BY id) INTO items, ids
    FROM (SELECT i.id, json_build_object(
                     'id', i.id, 'registration_id', i.registration_id,
                     'name', r.name, 'name_kana', r.name_kana,
                     'company_id', i.company_id, 'company_name', c.name,
                     'outcome', i.outcome, 'outcome_date', i.outcome_date,
                     'created_at', rfc3339_jst(i.created_at)) AS j
          FROM interviews i
          JOIN registrations r ON r.id = i.registration_id
          JOIN companies c ON c.id = i.company_id
          WHERE i.event_id = p_event AND i.id > page_after(q)
            AND (NOT q ? 'company_id' OR i.company_id = (q ->> 'company_id')::bigint)
            AND (NOT q ? 'outcome' OR i.outcome = q ->> 'outcome')
          ORDER BY i.id LIMIT page_limit(q) + 1) AS page;
    PERFORM audit(p_user, 'list', 'event_interviews', p_event,
                  jsonb_build_object('ids', coalesce(to_jsonb(ids[1:page_limit(q)]), '[]')));
    RETURN page_json(items, ids, page_limit(q));
END;
$$;
