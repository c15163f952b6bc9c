-- Registrations in batches, for CSV imports: one statement for up to a
-- thousand rows instead of a request and a transaction each. A row the
-- rules refuse is rolled back alone (a subtransaction per row) and
-- answered as the single endpoint would answer it; the others go in.
--
-- The rules move out of api_registration_create (0004) into functions
-- both endpoints call, so they stay in one place. The batch cannot call
-- api_registration_create per row: each row's foreign-key check locks
-- the event's newest row version in that row's subtransaction, the count
-- trigger's UPDATE in the next row's subtransaction must then keep that
-- lock in a MultiXact, and every later row reads through all of them:
-- 500 rows took 0.4 s, 1,000 rows 1.5 s. So a batch counts its rows
-- itself, once, at its end; the event's row is not rewritten per row,
-- and 1,000 rows take 0.2 s, growing linearly.

-- The event a registration is for, locked: the row lock orders
-- concurrent registrations. Refuses an event that does not exist or is
-- closed.
CREATE FUNCTION registration_event_lock(p_event bigint) RETURNS events
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

-- The refusal of a registration past the event's capacity.
CREATE FUNCTION registration_refuse_full() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event is full' USING ERRCODE = 'JF409', COLUMN = 'capacity';
END;
$$;

-- A registration for event e, which the caller has locked: consent,
-- birth date or age, the same person twice (the unique index), capacity
-- (the CHECK on events, when the count trigger runs), the audit row.
-- Answers the new registration as registration_json(…, 'full').
CREATE FUNCTION registration_insert(p_user bigint, e events, p_token text, p jsonb)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    r registrations := jsonb_populate_record(NULL::registrations, p);
    v_age int;
    c text;
BEGIN
    IF (p->>'consent')::boolean IS NOT TRUE THEN
        RAISE EXCEPTION 'must be true' USING ERRCODE = 'JF422', COLUMN = 'consent';
    END IF;
    IF r.birth_date IS NOT NULL AND r.age IS NOT NULL THEN
        RAISE EXCEPTION 'give birth_date or age, not both' USING ERRCODE = 'JF422', COLUMN = 'age';
    END IF;
    v_age := coalesce(r.age, extract(year FROM age((e.starts_at AT TIME ZONE 'Asia/Tokyo')::date,
                                                   r.birth_date))::int);
    IF r.birth_date IS NOT NULL AND v_age NOT BETWEEN 15 AND 120 THEN
        RAISE EXCEPTION 'must make the person 15 to 120 years old at the event'
            USING ERRCODE = 'JF422', COLUMN = 'birth_date';
    END IF;
    r.disability_handbook := p->'disability'->>'handbook';
    BEGIN
        INSERT INTO registrations (
            event_id, name, name_kana, birth_date, age, age_band, phone, email,
            categories, disability_handbook, accommodations, accommodation_note,
            supporters, consent_at, status, cancelled_at, checkin_token,
            person_key, search_key)
        VALUES (
            e.id, r.name, r.name_kana, r.birth_date, r.age, age_band(v_age),
            r.phone, r.email, coalesce(r.categories, '{}'), r.disability_handbook,
            coalesce(r.accommodations, '{}'), r.accommodation_note,
            coalesce(r.supporters, 0), now(), coalesce(r.status, 'registered'),
            CASE WHEN r.status = 'cancelled' THEN now() END, p_token,
            replace(r.name_kana, ' ', '') || '|'
                || coalesce(r.birth_date::text, r.phone, r.email, r.name),
            concat_ws(' ', replace(r.name_kana, ' ', ''), r.phone))
        RETURNING * INTO r;
    EXCEPTION
    WHEN check_violation THEN
        GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
        IF c = 'events_capacity' THEN
            PERFORM registration_refuse_full();
        END IF;
        RAISE;
    WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
        IF c = 'registrations_one_per_person' THEN
            RAISE EXCEPTION 'this person is already registered for the event'
                USING ERRCODE = 'JF409', COLUMN = 'name_kana';
        END IF;
        RAISE;
    END;
    -- The audit trail names the record, never the person's data.
    PERFORM audit(p_user, 'create', 'registration', r.id,
                  jsonb_build_object('event_id', e.id, 'status', r.status));
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

-- A row's error as server/api.c maps it to HTTP: {"status", "error"},
-- the error in the API's one shape ("fields" only when a column is
-- known). NULL for an error that is no refusal of the row (a deadlock, a
-- bug): the whole statement fails and api.c answers for it.
CREATE FUNCTION api_row_refusal(p_state text, p_message text, p_column text,
                                p_detail text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_status int;
    v_column text := nullif(p_column, '');
    v_message text := p_message;
BEGIN
    v_status := CASE
        WHEN p_state ~ '^JF[0-9]{3}$' THEN substr(p_state, 3)::int
        WHEN p_state IN ('23505', '23P01') THEN 409
        WHEN p_state LIKE '23%' THEN 422
        WHEN p_state LIKE '22%' THEN 400
    END;
    IF v_status IS NULL OR v_status NOT BETWEEN 400 AND 499 THEN
        RETURN NULL;
    END IF;
    -- A unique index names no column; its key does ("Key (x)=(…) …").
    IF v_status = 409 AND v_column IS NULL THEN
        v_column := substring(p_detail FROM '^Key \((.*?)\)=');
        IF v_column IS NOT NULL THEN
            v_message := 'already exists';
        END IF;
    END IF;
    RETURN jsonb_build_object(
        'status', v_status,
        'error', jsonb_build_object(
            -- The words of http_statuses in server/http.c.
            'code', CASE v_status
                        WHEN 400 THEN 'bad_request'
                        WHEN 403 THEN 'forbidden'
                        WHEN 404 THEN 'not_found'
                        WHEN 409 THEN 'conflict'
                        WHEN 422 THEN 'validation_failed'
                        ELSE 'error' END,
            'message', coalesce(v_message, 'request refused'))
            || CASE WHEN v_column IS NOT NULL
                    THEN jsonb_build_object('fields', jsonb_build_object(v_column, v_message))
                    ELSE '{}' END);
END;
$$;

-- p: {"registrations": [{…}, …]}, each item checked by the server as the
-- single endpoint checks its body; p_tokens: a check-in token per item.
-- Answers {"results": [{"index", "status", "registration" | "error"}, …],
-- "created", "refused"} in the order of the input. The rows go in in that
-- order, so when the event fills up the first rows have the places. A
-- missing or closed event refuses the batch whole.
CREATE FUNCTION api_registration_create_batch(p_user bigint, p_event bigint,
                                              p_tokens text[], p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    e events := registration_event_lock(p_event);
    v_item jsonb;
    v_index int;
    v_registration json;
    v_refusal jsonb;
    v_results json[] := '{}';
    v_created int := 0;
    v_counted int := 0;
    v_state text;
    v_message text;
    v_column text;
    v_detail text;
BEGIN
    IF cardinality(p_tokens) IS DISTINCT FROM jsonb_array_length(p->'registrations') THEN
        RAISE EXCEPTION 'api_registration_create_batch: % tokens for % registrations',
            cardinality(p_tokens), jsonb_array_length(p->'registrations');
    END IF;
    PERFORM set_config('jobfair.batch_event', p_event::text, true);
    FOR v_item, v_index IN
        SELECT value, ordinality - 1
        FROM jsonb_array_elements(p->'registrations') WITH ORDINALITY
        ORDER BY ordinality
    LOOP
        BEGIN
            v_registration := registration_insert(p_user, e, p_tokens[v_index + 1], v_item);
            -- Where the count trigger's CHECK would refuse the row: after
            -- the other rules, as for a single registration.
            IF v_registration->>'status' = 'registered' THEN
                IF e.registered_count + v_counted >= e.capacity THEN
                    PERFORM registration_refuse_full();
                END IF;
                v_counted := v_counted + 1;
            END IF;
            v_results := array_append(v_results, json_build_object(
                'index', v_index, 'status', 201, 'registration', v_registration));
            v_created := v_created + 1;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE,
                v_message = MESSAGE_TEXT, v_column = COLUMN_NAME,
                v_detail = PG_EXCEPTION_DETAIL;
            v_refusal := api_row_refusal(v_state, v_message, v_column, v_detail);
            IF v_refusal IS NULL THEN
                RAISE;
            END IF;
            v_results := array_append(v_results, json_build_object(
                'index', v_index, 'status', (v_refusal->>'status')::int,
                'error', v_refusal->'error'));
        END;
    END LOOP;
    PERFORM set_config('jobfair.batch_event', '', true);
    IF v_counted > 0 THEN
        -- The CHECK on events still has the last word.
        UPDATE events SET registered_count = registered_count + v_counted WHERE id = p_event;
    END IF;
    RETURN json_build_object(
        'results', array_to_json(v_results),
        'created', v_created,
        'refused', cardinality(v_results) - v_created);
END;
$$;
