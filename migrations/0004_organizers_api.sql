-- The organizers' API: event types, events, companies, their booths and
-- job seekers' registrations. Each request runs one of these functions as
-- its one statement, so a write and its audit row commit together or not
-- at all. They raise SQLSTATE 'JFnnn' for HTTP status nnn, with COLUMN
-- naming the request field at fault. Input arrives validated and
-- normalised by the server (common/input.c); the constraints of 0002 stay
-- the last word.

-- An instant as RFC 3339 in Japan's time, the way every client shows it.
CREATE FUNCTION rfc3339_jst(ts timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT to_char(ts AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD"T"HH24:MI:SS"+09:00"');
$$;

-- One page of a list ordered by id: at most p_limit items, and the cursor
-- for the next page when the query fetched one row more than that.
CREATE FUNCTION page_json(p_items json[], p_ids bigint[], p_limit int) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'items', coalesce(array_to_json(p_items[1:p_limit]), '[]'::json),
        'next', CASE WHEN cardinality(p_ids) > p_limit THEN p_ids[p_limit]::text END);
$$;

-- The paging parameters of a validated query string.
CREATE FUNCTION page_limit(q jsonb) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce((q->>'limit')::int, 50);
$$;

CREATE FUNCTION page_after(q jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce((q->>'after')::bigint, 0);
$$;

-- Event types -----------------------------------------------------------

CREATE FUNCTION api_event_types() RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('items', coalesce(json_agg(json_build_object(
               'code', code, 'name_ja', name_ja, 'name_en', name_en,
               'has_companies', has_companies) ORDER BY sort_order), '[]'::json),
           'next', NULL)
    FROM event_types;
$$;

CREATE FUNCTION event_type_check(p_type text) RETURNS event_types
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t event_types;
BEGIN
    SELECT * INTO t FROM event_types WHERE code = p_type;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'is not a known event type' USING ERRCODE = 'JF422', COLUMN = 'type';
    END IF;
    RETURN t;
END;
$$;

-- Events ----------------------------------------------------------------

CREATE FUNCTION event_json(e events) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', e.id, 'type', e.type, 'type_name', t.name_ja, 'title', e.title,
        'starts_at', rfc3339_jst(e.starts_at), 'ends_at', rfc3339_jst(e.ends_at),
        'venue', e.venue, 'capacity', e.capacity,
        'target_companies', e.target_companies, 'target_seekers', e.target_seekers,
        'organizer', e.organizer, 'status', e.status,
        'fiscal_year', e.fiscal_year, 'fiscal_year_label', fiscal_year_label(e.fiscal_year),
        'registered_count', e.registered_count,
        'company_count', (SELECT count(*) FROM participations p
                          WHERE p.event_id = e.id AND p.status <> 'cancelled'))
    FROM event_types t WHERE t.code = e.type;
$$;

-- Writes an event's row, explaining the constraints a client can break.
CREATE FUNCTION event_store(p_id bigint, p jsonb) RETURNS events
LANGUAGE plpgsql AS $$
DECLARE
    e events;
    c text;
BEGIN
    IF p_id IS NULL THEN
        e := jsonb_populate_record(NULL::events, p);
        e.status := coalesce(e.status, 'draft');
        INSERT INTO events (type, title, starts_at, ends_at, venue, capacity,
                            target_companies, target_seekers, organizer, status)
        VALUES (e.type, e.title, e.starts_at, e.ends_at, e.venue, e.capacity,
                e.target_companies, e.target_seekers, e.organizer, e.status)
        RETURNING * INTO e;
    ELSE
        SELECT * INTO e FROM events WHERE id = p_id FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
        END IF;
        -- Fields absent from p keep their values; a JSON null clears one.
        e := jsonb_populate_record(e, p);
        UPDATE events SET (type, title, starts_at, ends_at, venue, capacity,
                           target_companies, target_seekers, organizer, status,
                           updated_at)
            = (e.type, e.title, e.starts_at, e.ends_at, e.venue, e.capacity,
               e.target_companies, e.target_seekers, e.organizer, e.status, now())
        WHERE id = p_id
        RETURNING * INTO e;
    END IF;
    RETURN e;
EXCEPTION WHEN check_violation THEN
    GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
    IF c = 'events_ends_after_start' THEN
        RAISE EXCEPTION 'must be after starts_at' USING ERRCODE = 'JF422', COLUMN = 'ends_at';
    ELSIF c = 'events_capacity' THEN
        RAISE EXCEPTION 'is below the number already registered'
            USING ERRCODE = 'JF422', COLUMN = 'capacity';
    END IF;
    RAISE;
END;
$$;

CREATE FUNCTION api_event_create(p_user bigint, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    e events;
BEGIN
    PERFORM event_type_check(p->>'type');
    e := event_store(NULL, p);
    PERFORM audit(p_user, 'create', 'event', e.id, p);
    RETURN event_json(e);
END;
$$;

CREATE FUNCTION api_event_update(p_user bigint, p_id bigint, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    e events;
BEGIN
    IF p ? 'type' AND NOT (event_type_check(p->>'type')).has_companies
       AND EXISTS (SELECT 1 FROM participations
                   WHERE event_id = p_id AND status <> 'cancelled') THEN
        RAISE EXCEPTION 'companies take part in this event; this type has none'
            USING ERRCODE = 'JF409', COLUMN = 'type';
    END IF;
    e := event_store(p_id, p);
    PERFORM audit(p_user, 'update', 'event', e.id, p);
    RETURN event_json(e);
END;
$$;

CREATE FUNCTION api_events_list(q jsonb) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
    items json[];
    ids bigint[];
BEGIN
    IF q ? 'type' THEN
        PERFORM event_type_check(q->>'type');
    END IF;
    SELECT array_agg(j ORDER BY id), array_agg(id ORDER BY id) INTO items, ids
    FROM (SELECT e.id, event_json(e) AS j FROM events e
          WHERE e.id > page_after(q)
            AND (NOT q ? 'fiscal_year' OR e.fiscal_year = (q->>'fiscal_year')::int)
            AND (NOT q ? 'type' OR e.type = q->>'type')
            AND (NOT q ? 'status' OR e.status = q->>'status')
          ORDER BY e.id LIMIT page_limit(q) + 1) page;
    RETURN page_json(items, ids, page_limit(q));
END;
$$;

-- Companies -------------------------------------------------------------

CREATE FUNCTION company_json(c companies) RETURNS json
LANGUAGE sql IMMUTABLE AS $$
    SELECT json_build_object(
        'id', c.id, 'corporate_number', c.corporate_number, 'name', c.name,
        'name_kana', c.name_kana, 'industry', c.industry,
        'postal_code', c.postal_code,
        'postal_code_display', substr(c.postal_code, 1, 3) || '-' || substr(c.postal_code, 4),
        'address', c.address, 'phone', c.phone, 'contact_name', c.contact_name,
        'email', c.email, 'establishment_number', c.establishment_number);
$$;

CREATE FUNCTION api_company_create(p_user bigint, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    c companies := jsonb_populate_record(NULL::companies, p);
BEGIN
    INSERT INTO companies (corporate_number, name, name_kana, industry, postal_code,
                           address, phone, contact_name, email, establishment_number)
    VALUES (c.corporate_number, c.name, c.name_kana, c.industry, c.postal_code,
            c.address, c.phone, c.contact_name, c.email, c.establishment_number)
    RETURNING * INTO c;
    PERFORM audit(p_user, 'create', 'company', c.id, p);
    RETURN company_json(c);
END;
$$;

CREATE FUNCTION api_company_update(p_user bigint, p_id bigint, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    c companies;
BEGIN
    SELECT * INTO c FROM companies WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such company' USING ERRCODE = 'JF404';
    END IF;
    c := jsonb_populate_record(c, p);
    UPDATE companies SET (corporate_number, name, name_kana, industry, postal_code,
                          address, phone, contact_name, email, establishment_number,
                          updated_at)
        = (c.corporate_number, c.name, c.name_kana, c.industry, c.postal_code,
           c.address, c.phone, c.contact_name, c.email, c.establishment_number, now())
    WHERE id = p_id
    RETURNING * INTO c;
    PERFORM audit(p_user, 'update', 'company', c.id, p);
    RETURN company_json(c);
END;
$$;

-- q->>'key' is the search text as text_search_key_new() leaves it (kana in
-- katakana); q->>'q' without spaces also finds names written in hiragana.
CREATE FUNCTION api_companies_list(q jsonb) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
    items json[];
    ids bigint[];
    plain text := lower(regexp_replace(normalize(q->>'q', NFKC), '\s', '', 'g'));
    key text := lower(q->>'key');
BEGIN
    SELECT array_agg(j ORDER BY id), array_agg(id ORDER BY id) INTO items, ids
    FROM (SELECT c.id, company_json(c) AS j FROM companies c
          WHERE c.id > page_after(q)
            AND (key IS NULL OR strpos(lower(c.search_key), key) > 0
                 OR strpos(lower(c.search_key), plain) > 0)
          ORDER BY c.id LIMIT page_limit(q) + 1) page;
    RETURN page_json(items, ids, page_limit(q));
END;
$$;

-- Booths: a company's participation in an event -------------------------

CREATE FUNCTION booth_json(p participations) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', p.id, 'event_id', p.event_id, 'company_id', p.company_id,
        'company_name', c.name, 'company_name_kana', c.name_kana,
        'status', p.status, 'booth', p.booth, 'representatives', p.representatives,
        'openings', coalesce((
            SELECT json_agg(json_build_object(
                       'title', o.title, 'employment_type', o.employment_type,
                       'job_number', o.job_number, 'count', o.count) ORDER BY o.id)
            FROM openings o WHERE o.participation_id = p.id), '[]'::json),
        'checkin_token', p.checkin_token)
    FROM companies c WHERE c.id = p.company_id;
$$;

-- Replaces a booth's openings; "契約" is how staff write 契約社員.
CREATE FUNCTION booth_openings_replace(p_booth bigint, p_openings jsonb) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM openings WHERE participation_id = p_booth;
    INSERT INTO openings (participation_id, title, employment_type, job_number, count)
    SELECT p_booth, o.title,
           CASE o.employment_type WHEN '契約' THEN '契約社員' ELSE o.employment_type END,
           o.job_number, coalesce(o.count, 1)
    FROM ROWS FROM (jsonb_to_recordset(coalesce(p_openings, '[]'::jsonb))
                    AS (title text, employment_type text, job_number text, count int))
         WITH ORDINALITY AS o (title, employment_type, job_number, count, n)
    ORDER BY o.n;
$$;

CREATE FUNCTION api_booth_create(p_user bigint, p_event bigint, p_token text, p jsonb)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    b participations := jsonb_populate_record(NULL::participations, p);
    takes_companies boolean;
    c text;
BEGIN
    SELECT t.has_companies INTO takes_companies
    FROM events e JOIN event_types t ON t.code = e.type WHERE e.id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    IF NOT takes_companies THEN
        RAISE EXCEPTION 'this type of event has no companies'
            USING ERRCODE = 'JF422', COLUMN = 'company_id';
    END IF;
    PERFORM 1 FROM companies WHERE id = b.company_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such company' USING ERRCODE = 'JF422', COLUMN = 'company_id';
    END IF;
    BEGIN
        INSERT INTO participations (event_id, company_id, status, booth, representatives,
                                    checkin_token)
        VALUES (p_event, b.company_id, coalesce(b.status, 'applied'), b.booth,
                b.representatives, p_token)
        RETURNING * INTO b;
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
        IF c = 'participations_event_id_company_id_key' THEN
            RAISE EXCEPTION 'the company already takes part in this event'
                USING ERRCODE = 'JF409', COLUMN = 'company_id';
        END IF;
        RAISE;
    END;
    PERFORM booth_openings_replace(b.id, p->'openings');
    PERFORM audit(p_user, 'create', 'booth', b.id, p);
    RETURN booth_json(b);
END;
$$;

CREATE FUNCTION api_booth_update(p_user bigint, p_event bigint, p_company bigint, p jsonb)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    b participations;
BEGIN
    SELECT * INTO b FROM participations
    WHERE event_id = p_event AND company_id = p_company FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the company does not take part in this event' USING ERRCODE = 'JF404';
    END IF;
    b := jsonb_populate_record(b, p);
    UPDATE participations
    SET (status, booth, representatives, updated_at) = (b.status, b.booth, b.representatives, now())
    WHERE id = b.id
    RETURNING * INTO b;
    IF p ? 'openings' THEN
        PERFORM booth_openings_replace(b.id, p->'openings');
    END IF;
    PERFORM audit(p_user, 'update', 'booth', b.id, p);
    RETURN booth_json(b);
END;
$$;

CREATE FUNCTION api_booths_list(p_event bigint, q jsonb) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
    items json[];
    ids bigint[];
BEGIN
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    SELECT array_agg(j ORDER BY id), array_agg(id ORDER BY id) INTO items, ids
    FROM (SELECT b.id, booth_json(b) AS j FROM participations b
          WHERE b.event_id = p_event AND b.id > page_after(q)
            AND (NOT q ? 'status' OR b.status = q->>'status')
          ORDER BY b.id LIMIT page_limit(q) + 1) page;
    RETURN page_json(items, ids, page_limit(q));
END;
$$;

-- Registrations ---------------------------------------------------------

-- What a role may see of a registration: 'full' for organizers and
-- admins; 'desk' for the front desk, who need to find and check in a
-- person and nothing more (disability data is 要配慮個人情報).
CREATE FUNCTION registration_json(r registrations, p_view text) RETURNS json
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

CREATE FUNCTION age_band(p_age int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_age IS NULL THEN NULL
                WHEN p_age < 35 THEN 'under_35' WHEN p_age < 55 THEN '35_54'
                WHEN p_age < 65 THEN '55_64' ELSE '65_plus' END;
$$;

CREATE FUNCTION api_registration_create(p_user bigint, p_event bigint, p_token text,
                                        p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    e events;
    r registrations := jsonb_populate_record(NULL::registrations, p);
    v_age int;
    c text;
BEGIN
    -- The event's row lock orders concurrent registrations; the capacity
    -- CHECK on events then decides who is one too many.
    SELECT * INTO e FROM events WHERE id = p_event FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    IF e.status = 'closed' THEN
        RAISE EXCEPTION 'the event is closed for registration' USING ERRCODE = 'JF409';
    END IF;
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
            p_event, r.name, r.name_kana, r.birth_date, r.age, age_band(v_age),
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
            RAISE EXCEPTION 'the event is full' USING ERRCODE = 'JF409', COLUMN = 'capacity';
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
                  jsonb_build_object('event_id', p_event, 'status', r.status));
    RETURN registration_json(r, 'full');
END;
$$;

CREATE FUNCTION api_registration_get(p_user bigint, p_id bigint, p_view text) RETURNS json
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

CREATE FUNCTION api_registrations_list(p_user bigint, p_event bigint, p_view text, q jsonb)
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

CREATE FUNCTION api_registration_cancel(p_user bigint, p_id bigint) RETURNS json
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
