-- What the printed pages show (server/print.c renders them as PDF): one
-- call per document, answering the event's heading and the items, so the
-- worker thread that draws needs nothing else. Printing names is a read
-- of personal data and is audited like a list.

-- "2024年10月5日(土) 13:30〜16:00" in Japan's time.
CREATE OR REPLACE FUNCTION print_when(p_start timestamptz, p_end timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(p_start AT TIME ZONE 'Asia/Tokyo', 'FMYYYY"年"FMMM"月"FMDD"日"')
        || '(' || (ARRAY['日', '月', '火', '水', '木', '金', '土'])
                  [extract(dow FROM p_start AT TIME ZONE 'Asia/Tokyo')::int + 1] || ') '
        || to_char(p_start AT TIME ZONE 'Asia/Tokyo', 'HH24:MI') || '〜'
        || to_char(p_end AT TIME ZONE 'Asia/Tokyo', 'HH24:MI');
$$;

CREATE OR REPLACE FUNCTION print_event(p_event bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    e events;
BEGIN
    SELECT * INTO e FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    RETURN jsonb_build_object('id', e.id, 'title', e.title, 'venue', coalesce(e.venue, ''),
                              'when', print_when(e.starts_at, e.ends_at),
                              'type', (SELECT name_ja FROM event_types WHERE code = e.type));
END;
$$;

-- 受付票 and seekers' badges: the registered seekers with a code, all of
-- them or the ids asked for (an id not registered here is a 422).
CREATE OR REPLACE FUNCTION print_seekers(p_user bigint, p_event bigint, p_ids bigint[])
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    head jsonb := print_event(p_event);
    items jsonb;
    missing bigint[];
BEGIN
    IF p_ids IS NOT NULL THEN
        SELECT array_agg(i ORDER BY i) INTO missing
        FROM unnest(p_ids) AS i
        WHERE NOT EXISTS (SELECT 1 FROM registrations r
                          WHERE r.id = i AND r.event_id = p_event AND r.status = 'registered'
                            AND r.checkin_token IS NOT NULL);
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'not registered for this event with a code: %', array_to_string(missing, ', ')
                USING ERRCODE = 'JF422', COLUMN = 'ids';
        END IF;
    END IF;
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'name', coalesce(r.name, ''),
                                                 'kana', coalesce(r.name_kana, ''),
                                                 'token', r.checkin_token) ORDER BY r.id), '[]')
    INTO items
    FROM registrations r
    WHERE r.event_id = p_event AND r.status = 'registered' AND r.checkin_token IS NOT NULL
      AND (p_ids IS NULL OR r.id = ANY (p_ids));
    PERFORM audit(p_user, 'print', 'event_registrations', p_event,
                  jsonb_build_object('count', jsonb_array_length(items)));
    RETURN jsonb_build_object('event', head, 'items', items);
END;
$$;

-- Booth cards, company badges and the booklet: the confirmed booths in
-- booth order, with their openings.
CREATE OR REPLACE FUNCTION print_companies(p_event bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('event', print_event(p_event), 'items', coalesce(jsonb_agg(
        jsonb_build_object('company_id', c.id, 'name', c.name, 'kana', coalesce(c.name_kana, ''),
                           'industry', coalesce(c.industry, ''), 'booth', coalesce(p.booth, ''),
                           'representatives', coalesce(p.representatives, 1),
                           'token', coalesce(p.checkin_token, ''),
                           'openings', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                            'title', o.title, 'employment_type', o.employment_type,
                                            'count', o.count, 'job_number', coalesce(o.job_number, ''))
                                            ORDER BY o.id), '[]')
                                        FROM openings o WHERE o.participation_id = p.id))
        ORDER BY length(p.booth) NULLS LAST, p.booth, c.id), '[]'))
    FROM participations p JOIN companies c ON c.id = p.company_id
    WHERE p.event_id = p_event AND p.status = 'confirmed';
$$;

-- The event's registrations for the organizers' spreadsheet, with the
-- vocabulary's Japanese labels; personal data, audited.
CREATE OR REPLACE FUNCTION list_registrations(p_user bigint, p_event bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    head jsonb := print_event(p_event);
    items jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', r.id, 'name', r.name, 'kana', r.name_kana, 'age', r.age,
               'age_band', (SELECT label_ja FROM age_bands WHERE code = r.age_band),
               'phone', r.phone, 'email', r.email,
               'categories', (SELECT string_agg(c.label_ja, '・' ORDER BY c.sort_order)
                              FROM seeker_categories c WHERE c.code = ANY (r.categories)),
               'accommodations', (SELECT string_agg(a.label_ja, '・' ORDER BY a.sort_order)
                                  FROM accommodations a WHERE a.code = ANY (r.accommodations)),
               'supporters', r.supporters,
               'status', (SELECT label_ja FROM registration_statuses WHERE code = r.status),
               'walk_in', CASE WHEN r.walk_in THEN '当日' ELSE '事前' END,
               'checked_in', CASE WHEN EXISTS (SELECT 1 FROM checkins k WHERE k.registration_id = r.id
                                                AND k.undone_at IS NULL) THEN '来場' ELSE '' END,
               'registered_at', to_char(r.created_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI'))
               ORDER BY r.id), '[]')
    INTO items
    FROM registrations r WHERE r.event_id = p_event;
    PERFORM audit(p_user, 'export', 'event_registrations', p_event,
                  jsonb_build_object('count', jsonb_array_length(items)));
    RETURN jsonb_build_object('event', head, 'items', items);
END;
$$;
