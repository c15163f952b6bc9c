-- Job seekers' registrations: one and a batch, the capacity count, the QR token.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- What a role may see of a registration: 'full' for organizers and
-- admins; 'desk' for the front desk, who need to find and check in a
-- person and nothing more (disability data is 要配慮個人情報).
CREATE OR REPLACE FUNCTION registration_json(r registrations, p_view text) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT CASE p_view
    WHEN 'full' THEN json_build_object(
        'id', r.id, 'event_id', r.event_id, 'name', r.name, 'name_kana', r.name_kana,
        'birth_date', r.birth_date, 'age', r.age, 'age_band', r.age_band,
        'phone', r.phone, 'email', r.email, 'categories', r.categories,
        'disability', CASE WHEN r.disability_handbook IS NOT NULL
                           THEN json_build_object('handbook', r.disability_handbook) END,
        'accommodations', r.accommodations, 'accommodation_note', r.accommodation_note,
        'supporters', r.supporters, 'consent', true, 'consent_at', rfc3339_jst(r.consent_at),
        'status', r.status, 'walk_in', r.walk_in, 'checkin_token', r.checkin_token,
        'created_at', rfc3339_jst(r.created_at), 'cancelled_at', rfc3339_jst(r.cancelled_at))
    WHEN 'desk' THEN json_build_object(
        'id', r.id, 'name', r.name, 'name_kana', r.name_kana, 'status', r.status,
        'checkin_token', r.checkin_token, 'walk_in', r.walk_in)
    END;
$$;

CREATE OR REPLACE FUNCTION age_band(p_age int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_age IS NULL THEN NULL
                WHEN p_age < 35 THEN 'under_35' WHEN p_age < 55 THEN '35_54'
                WHEN p_age < 65 THEN '55_64' ELSE '65_plus' END;
$$;

-- Who a registration is, for "one registration per person": the kana
-- without spaces, then the birth date, else the phone, the e-mail in
-- lower case or the name. Text is compared in NFKC, lower case, without
-- whitespace or format characters (zero-width spaces, bidi controls), so
-- 重複　花子, 重複花子 and Jiro@ / jiro@ are one person. The display
-- forms are stored as typed. 0014 backfilled existing rows with this.
CREATE OR REPLACE FUNCTION registration_person_key(p_kana text, p_birth date, p_phone text,
                                                   p_email text, p_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT replace(p_kana, ' ', '') || '|' || coalesce(
        p_birth::text, p_phone, lower(p_email),
        lower(regexp_replace(normalize(p_name, NFKC),
              '[[:space:]\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+',
              '', 'g')));
$$;

-- The event a registration is for, locked: the row lock orders
-- concurrent registrations. Refuses an event that does not exist or is
-- closed.
CREATE OR REPLACE FUNCTION registration_event_lock(p_event bigint) RETURNS events
LANGUAGE plpgsql AS $$
DECLARE
    e events;
BEGIN
    SELECT * INTO e FROM events WHERE id = p_event FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    IF e.status = 'closed' THEN
        RAISE EXCEPTION 'the event is closed for registration' USING ERRCODE = 'JF409';
    END IF;
    RETURN e;
END;
$$;

-- Why a registration is refused, by the rule's name: SQLSTATE, message,
-- field. The single endpoint raises it; a batch answers it for the row.
CREATE OR REPLACE FUNCTION registration_reason(p_rule text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_rule
        WHEN 'consent' THEN '{JF422,must be true,consent}'::text[]
        WHEN 'age_and_birth_date' THEN '{JF422,"give birth_date or age, not both",age}'
        WHEN 'age_range' THEN
            '{JF422,must make the person 15 to 120 years old at the event,birth_date}'
        WHEN 'twin' THEN '{JF409,this person is already registered for the event,name_kana}'
        WHEN 'full' THEN '{JF409,the event is full,capacity}'
    END;
$$;

CREATE OR REPLACE FUNCTION registration_refuse(p_rule text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v text[] := registration_reason(p_rule);
BEGIN
    RAISE EXCEPTION '%', v[2] USING ERRCODE = v[1], COLUMN = v[3];
END;
$$;

-- The row a registration body makes for event e, with its id drawn
-- already (a batch answers each row by it); not inserted.
CREATE OR REPLACE FUNCTION registration_row(e events, p_token text, p jsonb)
RETURNS registrations
LANGUAGE plpgsql AS $$
DECLARE
    b registrations := jsonb_populate_record(NULL::registrations, p);
    r registrations;
BEGIN
    r.id := nextval(pg_get_serial_sequence('registrations', 'id'));
    r.event_id := e.id;
    r.name := b.name;
    r.name_kana := b.name_kana;
    r.birth_date := b.birth_date;
    r.age := b.age;
    r.age_band := age_band(coalesce(b.age, extract(year FROM age(
        (e.starts_at AT TIME ZONE 'Asia/Tokyo')::date, b.birth_date))::int));
    r.phone := b.phone;
    r.email := b.email;
    r.categories := coalesce(b.categories, '{}');
    r.disability_handbook := p->'disability'->>'handbook';
    r.accommodations := coalesce(b.accommodations, '{}');
    r.accommodation_note := b.accommodation_note;
    r.supporters := coalesce(b.supporters, 0);
    r.consent_at := now();
    r.status := coalesce(b.status, 'registered');
    r.cancelled_at := CASE WHEN b.status = 'cancelled' THEN now() END;
    r.checkin_token := p_token;
    r.person_key := registration_person_key(b.name_kana, b.birth_date, b.phone,
                                            b.email, b.name);
    r.search_key := concat_ws(' ', replace(b.name_kana, ' ', ''), b.phone);
    RETURN r;
END;
$$;

-- The rule of registration_reason() that refuses body p (row r, for
-- event e) before the table's constraints have their say; NULL if none.
CREATE OR REPLACE FUNCTION registration_refusal(e events, r registrations, p jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN (p->>'consent')::boolean IS NOT TRUE THEN 'consent'
        WHEN r.birth_date IS NOT NULL AND r.age IS NOT NULL THEN 'age_and_birth_date'
        WHEN r.birth_date IS NOT NULL
             AND extract(year FROM age((e.starts_at AT TIME ZONE 'Asia/Tokyo')::date,
                                       r.birth_date)) NOT BETWEEN 15 AND 120
            THEN 'age_range'
    END;
$$;

-- The one INSERT of registrations, for one row or a whole batch, and
-- their audit rows (which name the record, never the person's data).
CREATE OR REPLACE FUNCTION registrations_insert(p_user bigint, p_rows registrations[])
RETURNS SETOF registrations
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    WITH added AS (
        INSERT INTO registrations (
            id, event_id, name, name_kana, birth_date, age, age_band, phone, email,
            categories, disability_handbook, accommodations, accommodation_note,
            supporters, consent_at, status, cancelled_at, checkin_token,
            person_key, search_key)
        SELECT id, event_id, name, name_kana, birth_date, age, age_band, phone, email,
            categories, disability_handbook, accommodations, accommodation_note,
            supporters, consent_at, status, cancelled_at, checkin_token,
            person_key, search_key
        FROM unnest(p_rows) ORDER BY id
        RETURNING *),
    audited AS (
        INSERT INTO audit_log (user_id, action, object_type, object_id, detail)
        SELECT p_user, 'create', 'registration', id,
               jsonb_build_object('event_id', event_id, 'status', status)
        FROM added ORDER BY id)
    SELECT * FROM added ORDER BY id;
END;
$$;

-- A registration for event e, which the caller has locked: consent,
-- birth date or age, the same person twice (the unique index), capacity
-- (the CHECK on events, when the count trigger runs), the audit row.
-- Answers the new registration as registration_json(…, 'full').
CREATE OR REPLACE FUNCTION registration_insert(p_user bigint, e events, p_token text, p jsonb)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    r registrations := registration_row(e, p_token, p);
    v_rule text := registration_refusal(e, r, p);
    c text;
BEGIN
    IF v_rule IS NOT NULL THEN
        PERFORM registration_refuse(v_rule);
    END IF;
    BEGIN
        SELECT * INTO r FROM registrations_insert(p_user, ARRAY[r]);
    EXCEPTION
    WHEN check_violation THEN
        GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
        IF c = 'events_capacity' THEN
            PERFORM registration_refuse('full');
        END IF;
        RAISE;
    WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
        IF c = 'registrations_one_per_person' THEN
            PERFORM registration_refuse('twin');
        END IF;
        RAISE;
    END;
    RETURN registration_json(r, 'full');
END;
$$;

-- As in 0004, with the rules now in the functions above.
CREATE OR REPLACE FUNCTION api_registration_create(p_user bigint, p_event bigint,
                                                   p_token text, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
BEGIN
    RETURN registration_insert(p_user, registration_event_lock(p_event), p_token, p);
END;
$$;

-- A batch one row at a time, each row in its own subtransaction
-- (batch_by_row, imports.sql, the loop the CSV import of companies
-- shares): what a row that a constraint refuses needs, to be refused
-- alone and with its reason. Same answer as registration_batch().
CREATE OR REPLACE FUNCTION registration_batch_by_row(p_user bigint, e events,
                                                     p_tokens text[], p jsonb) RETURNS json
LANGUAGE sql AS $$
    SELECT batch_by_row('registrations', p_user, e, p_tokens, p);
$$;

-- A batch with one INSERT: each row judged as registration_insert()
-- would judge it in input order, all at once. A person already
-- registered, or twice in the batch, is refused after the first; the
-- places go to the first rows; a row that loses its place leaves its
-- twins to be refused as full too, as row by row. Raises if a row
-- breaks a constraint of the table (the caller then goes row by row).
CREATE OR REPLACE FUNCTION registration_batch(p_user bigint, e events,
                                              p_tokens text[], p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_rows registrations[];
    v_ids bigint[];
    v_refusals jsonb[];
    v_answer json;
BEGIN
    WITH item AS (
        -- A row the server's field check refused (input.c,
        -- INPUT_OBJECT_ROWS) carries its field errors in _refused.
        SELECT i.ord, x.r, i.value->'_refused' AS refused,
               CASE WHEN i.value ? '_refused' THEN 'refused'
                    ELSE registration_refusal(e, x.r, i.value) END AS rule
        FROM jsonb_array_elements(p->'registrations') WITH ORDINALITY AS i(value, ord)
        CROSS JOIN LATERAL (SELECT registration_row(e, p_tokens[i.ord], i.value) AS r) x),
    wanting AS (  -- who asks for a place, and whether the person has one
        SELECT ord, r, refused, rule,
               rule IS NULL AND (r).status = 'registered' AS wants,
               EXISTS (SELECT 1 FROM registrations o
                       WHERE o.event_id = e.id AND o.person_key = (r).person_key
                         AND o.status = 'registered') AS known
        FROM item),
    firsts AS (   -- each person's first row asking for a place
        SELECT *, CASE WHEN (r).person_key IS NULL THEN ord
                       ELSE min(ord) FILTER (WHERE wants AND NOT known)
                            OVER (PARTITION BY (r).person_key) END AS first
        FROM wanting),
    seated AS (   -- the places, in input order, go to first rows
        SELECT *, count(*) FILTER (WHERE wants AND NOT known AND first = ord)
                      OVER (ORDER BY ord) AS seat
        FROM firsts),
    judged AS (
        SELECT ord, r, refused, CASE
            WHEN rule IS NOT NULL THEN rule
            WHEN NOT wants THEN NULL
            WHEN known THEN 'twin'
            WHEN e.capacity IS NOT NULL
                 AND max(seat) FILTER (WHERE first = ord) OVER (PARTITION BY first)
                     > e.capacity - e.registered_count THEN 'full'
            WHEN first <> ord THEN 'twin'
            END AS rule
        FROM seated)
    SELECT array_agg(r ORDER BY ord) FILTER (WHERE rule IS NULL),
           array_agg((r).id ORDER BY ord),
           array_agg(CASE
                     WHEN rule = 'refused' THEN jsonb_build_object(
                         'status', 422, 'error', jsonb_build_object(
                             'code', 'validation_failed', 'message', 'invalid input',
                             'fields', refused))
                     WHEN rule IS NOT NULL THEN api_row_refusal(
                         (registration_reason(rule))[1], (registration_reason(rule))[2],
                         (registration_reason(rule))[3], NULL) END ORDER BY ord)
    INTO v_rows, v_ids, v_refusals
    FROM judged;

    SELECT array_agg(a) INTO v_rows FROM registrations_insert(p_user, coalesce(v_rows, '{}')) a;
    SELECT json_build_object(
        'results', array_to_json(array_agg(CASE
            WHEN d.refusal IS NULL THEN json_build_object(
                'index', d.ord - 1, 'status', 201, 'registration', registration_json(a, 'full'))
            ELSE json_build_object(
                'index', d.ord - 1, 'status', (d.refusal->>'status')::int,
                'error', d.refusal->'error') END ORDER BY d.ord)),
        'created', count(a.id),
        'refused', count(*) - count(a.id))
    INTO v_answer
    FROM unnest(v_refusals, v_ids) WITH ORDINALITY AS d(refusal, id, ord)
    LEFT JOIN unnest(v_rows) a ON a.id = d.id AND d.refusal IS NULL;
    RETURN v_answer;
END;
$$;

-- p: {"registrations": [{…}, …]}, each item checked by the server as the
-- single endpoint checks its body; p_tokens: a check-in token per item.
-- Answers {"results": [{"index", "status", "registration" | "error"}, …],
-- "created", "refused"} in the order of the input. The rows go in in that
-- order, so when the event fills up the first rows have the places. A
-- missing or closed event refuses the batch whole.
CREATE OR REPLACE FUNCTION api_registration_create_batch(p_user bigint, p_event bigint,
                                              p_tokens text[], p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    e events := registration_event_lock(p_event);
    v_answer json;
BEGIN
    IF cardinality(p_tokens) IS DISTINCT FROM jsonb_array_length(p->'registrations') THEN
        RAISE EXCEPTION 'api_registration_create_batch: % tokens for % registrations',
            cardinality(p_tokens), jsonb_array_length(p->'registrations');
    END IF;
    -- The count trigger leaves this event's new rows to us.
    PERFORM set_config('jobfair.batch_event', p_event::text, true);
    BEGIN
        v_answer := registration_batch(p_user, e, p_tokens, p);
    EXCEPTION WHEN OTHERS THEN
        -- Rare: the server checks every item as the table would.
        v_answer := registration_batch_by_row(p_user, e, p_tokens, p);
    END;
    PERFORM set_config('jobfair.batch_event', '', true);
    -- The CHECK on events still has the last word.
    UPDATE events SET registered_count = registered_count + (
        SELECT count(*) FROM json_array_elements(v_answer->'results') x
        WHERE x->'registration'->>'status' = 'registered')
    WHERE id = p_event;
    RETURN v_answer;
END;
$$;

CREATE OR REPLACE FUNCTION api_registration_get(p_user bigint, p_id bigint, p_view text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    r registrations;
BEGIN
    SELECT * INTO r FROM registrations WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such registration' USING ERRCODE = 'JF404';
    END IF;
    PERFORM audit(p_user, 'read', 'registration', r.id, jsonb_build_object('view', p_view));
    RETURN registration_json(r, p_view);
END;
$$;

CREATE OR REPLACE FUNCTION api_registrations_list(p_user bigint, p_event bigint, p_view text, q jsonb)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    items json[];
    ids bigint[];
BEGIN
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    SELECT array_agg(j ORDER BY id), array_agg(id ORDER BY id) INTO items, ids
    FROM (SELECT r.id, registration_json(r, p_view) AS j FROM registrations r
          WHERE r.event_id = p_event AND r.id > page_after(q)
            AND (NOT q ? 'status' OR r.status = q->>'status')
          ORDER BY r.id LIMIT page_limit(q) + 1) page;
    -- Whose data was shown, by id, so a leak can be traced to a reader.
    PERFORM audit(p_user, 'list', 'event_registrations', p_event,
                  jsonb_build_object('view', p_view,
                                     'ids', coalesce(to_jsonb(ids[1:page_limit(q)]), '[]')));
    RETURN page_json(items, ids, page_limit(q));
END;
$$;

CREATE OR REPLACE FUNCTION api_registration_cancel(p_user bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    r registrations;
BEGIN
    SELECT * INTO r FROM registrations WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such registration' USING ERRCODE = 'JF404';
    END IF;
    IF r.status = 'cancelled' THEN
        RAISE EXCEPTION 'the registration is already cancelled' USING ERRCODE = 'JF409';
    END IF;
    UPDATE registrations SET status = 'cancelled', cancelled_at = now(), updated_at = now()
    WHERE id = p_id
    RETURNING * INTO r;
    PERFORM audit(p_user, 'cancel', 'registration', r.id,
                  jsonb_build_object('event_id', r.event_id));
    RETURN registration_json(r, 'full');
END;
$$;

-- As in 0002, except for the rows of the event a batch is registering
-- (jobfair.batch_event, set for its transaction only): it counts them.
CREATE OR REPLACE FUNCTION registrations_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    delta int := 0;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF current_setting('jobfair.batch_event', true) = NEW.event_id::text THEN
            RETURN NULL;
        END IF;
        delta := CASE WHEN NEW.status = 'registered' THEN 1 ELSE 0 END;
    ELSIF OLD.status <> NEW.status THEN
        delta := CASE WHEN NEW.status = 'registered' THEN 1 ELSE -1 END;
    END IF;
    IF delta <> 0 THEN
        UPDATE events SET registered_count = registered_count + delta
        WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER registrations_count
    AFTER INSERT OR UPDATE OF status ON registrations
    FOR EACH ROW EXECUTE FUNCTION registrations_count();

-- The token a registration's QR code shows; a cancelled one has none.
CREATE OR REPLACE FUNCTION registration_qr_token(p_id bigint) RETURNS text
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

-- A new token for a lost or leaked code; the old one stops working.
CREATE OR REPLACE FUNCTION api_reissue_registration_token(p_user bigint, p_id bigint, p_token text)
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
