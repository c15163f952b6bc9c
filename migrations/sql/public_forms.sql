-- The public application forms (申込フォーム, server/public.c): open
-- events, the purpose statement, an application, its receipt and its
-- cancellation. Nothing here answers differently for a person who is
-- already registered and one who is not (README, Public application forms).
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- "令和8年12月2日(水) 13:30〜16:00" in Japan's time, the era's year
-- counted from 2019 (令和元年).
CREATE OR REPLACE FUNCTION public_when_ja(p_start timestamptz, p_end timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN y = 2019 THEN '令和元' WHEN y > 2019 THEN '令和' || (y - 2018)
                ELSE '平成' || (y - 1988) END
        || '年' || substr(print_when(p_start, p_end), strpos(print_when(p_start, p_end), '年') + 1)
    FROM (SELECT extract(year FROM p_start AT TIME ZONE 'Asia/Tokyo')::int AS y) x;
$$;

CREATE OR REPLACE FUNCTION public_when_en(p_start timestamptz, p_end timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(p_start AT TIME ZONE 'Asia/Tokyo', 'Dy FMDD Mon YYYY, HH24:MI')
        || '–' || to_char(p_end AT TIME ZONE 'Asia/Tokyo', 'HH24:MI') || ' (JST)';
$$;

-- Open to the public now: the organizer's switch, the deadline (else
-- the start), and not closed.
CREATE OR REPLACE FUNCTION public_accepting(e events) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT e.public_open AND e.status <> 'closed'
       AND now() < coalesce(e.public_deadline, e.starts_at);
$$;

-- The newest purpose statement of an event type.
CREATE OR REPLACE FUNCTION purpose_current(p_type text) RETURNS purpose_statements
LANGUAGE sql STABLE AS $$
    SELECT * FROM purpose_statements WHERE event_type = p_type
    ORDER BY version DESC LIMIT 1;
$$;

CREATE OR REPLACE FUNCTION purpose_json(s purpose_statements) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', s.id, 'event_type', s.event_type, 'version', s.version,
                             'body', s.body, 'created_at', rfc3339_jst(s.created_at));
$$;

-- What the public sees of an event: no counts, only whether it is full.
CREATE OR REPLACE FUNCTION public_event_json(e events) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', e.id, 'title', e.title, 'type_ja', t.name_ja, 'type_en', t.name_en,
        'when_ja', public_when_ja(e.starts_at, e.ends_at),
        'when_en', public_when_en(e.starts_at, e.ends_at),
        'venue', coalesce(e.venue, ''), 'bring', coalesce(e.public_bring, ''),
        'deadline_ja', CASE WHEN e.public_deadline IS NOT NULL THEN
            public_when_ja(e.public_deadline, e.public_deadline) END,
        'deadline_en', CASE WHEN e.public_deadline IS NOT NULL THEN
            public_when_en(e.public_deadline, e.public_deadline) END,
        'accepting', public_accepting(e),
        'full', e.capacity IS NOT NULL AND e.registered_count >= e.capacity,
        -- The type takes company booths: the companies' form is offered.
        'companies', t.has_companies,
        'purpose', purpose_json(purpose_current(e.type)))
    FROM event_types t WHERE t.code = e.type;
$$;

-- GET /apply: the events open to applications, soonest first.
CREATE OR REPLACE FUNCTION public_events() RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT coalesce(json_agg(public_event_json(e) ORDER BY e.starts_at, e.id), '[]')
    FROM events e WHERE public_accepting(e);
$$;

-- GET /apply/events/{id}: an event the organizer has opened, even past
-- its deadline (the page then says so); NULL (404) otherwise.
CREATE OR REPLACE FUNCTION public_event(p_event bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT public_event_json(e) FROM events e WHERE e.id = p_event AND e.public_open;
$$;

-- The cancellation link's secret, derived from the receipt's: whoever
-- holds the receipt may cancel, and only its hash is stored.
CREATE OR REPLACE FUNCTION public_cancel_secret(p_secret text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to('jobfair cancel:' || p_secret, 'UTF8')), 'hex');
$$;

CREATE OR REPLACE FUNCTION public_hash(p_secret text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(p_secret, 'UTF8')), 'hex');
$$;

-- The confirmation mail: plain Japanese, the event, the number, the links.
CREATE OR REPLACE FUNCTION public_mail_body(e events, p_name text, p_number bigint,
                                            p_base text, p_secret text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT p_name || ' 様' || E'\n\n'
        || '次の催しへのお申込みを受け付けました。' || E'\n\n'
        || '催し：' || e.title || E'\n'
        || '日時：' || public_when_ja(e.starts_at, e.ends_at) || E'\n'
        || '会場：' || coalesce(e.venue, '') || E'\n'
        || CASE WHEN e.public_bring IS NOT NULL THEN '持ち物：' || e.public_bring || E'\n' ELSE '' END
        || '受付番号：' || lpad(p_number::text, 6, '0') || E'\n\n'
        || '当日は、このメールのQRコード（添付）か、受付票を受付でお見せください。' || E'\n'
        || '受付票（印刷できます）：' || p_base || '/apply/receipt/' || p_secret || E'\n\n'
        || '参加できなくなったときは、次のページで取り消してください（一度だけ使えます）：' || E'\n'
        || p_base || '/apply/cancel/' || public_cancel_secret(p_secret) || E'\n\n'
        || '同じ方が二度お申し込みになった場合は、最初のお申込みが有効です。' || E'\n'
        || 'ご不明な点は、当日受付でお名前をお伝えください。' || E'\n'
        || 'このメールにお心当たりのない方は、お手数ですが破棄してください。' || E'\n';
$$;

-- Someone applied again as a person already registered: the first
-- registration's own address (if it has one) is sent its working code
-- again, at most once a day, so an honest person who applied twice has
-- it, and an outsider, who cannot read that mail, learns nothing.
CREATE OR REPLACE FUNCTION public_remind(e events, p_person text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    r registrations;
BEGIN
    SELECT * INTO r FROM registrations
    WHERE event_id = e.id AND person_key = p_person AND status = 'registered';
    IF r.email IS NULL OR EXISTS (
        SELECT 1 FROM mail_outbox WHERE kind = 'apply_again' AND event_id = e.id
          AND to_addr = r.email AND created_at > now() - interval '1 day') THEN
        RETURN;
    END IF;
    PERFORM mail_enqueue('apply_again', e.id, r.email, left('【お申込み済み】' || e.title, 200),
        r.name || ' 様' || E'\n\n'
        || 'この催しへのお申込みは、すでに受け付けています。最初のお申込みが有効です。' || E'\n\n'
        || '催し：' || e.title || E'\n'
        || '日時：' || public_when_ja(e.starts_at, e.ends_at) || E'\n'
        || '会場：' || coalesce(e.venue, '') || E'\n'
        || '受付番号：' || lpad(r.id::text, 6, '0') || E'\n\n'
        || '当日は、このメールのQRコード（添付）を受付でお見せください。' || E'\n'
        || 'もう一度お申し込みになった覚えがない場合は、このメールは破棄してください。' || E'\n',
        r.checkin_token);
END;
$$;

-- POST /apply/events/{id}: one application, in one transaction. p is
-- the form, checked by the server like the staff's registration body.
-- Answers {"result": "accepted"} with the event's id as the second
-- column (the live numbers moved), or {"result": "refused", "rule",
-- "field"} having written nothing. A person the one-per-person rule
-- refuses gets a receipt without a registration and the same answer.
CREATE OR REPLACE FUNCTION public_apply(p_event bigint, p_token text, p_secret text,
                                        p_purpose bigint, p_base text, p jsonb,
                                        OUT answer json, OUT event_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
    e events;
    v_purpose purpose_statements;
    v_reg json;
    v_twin boolean := false;
    v_number bigint;
    v_column text;
    v_state text;
BEGIN
    SELECT * INTO e FROM events WHERE id = p_event AND public_open FOR UPDATE;
    IF NOT FOUND THEN
        answer := json_build_object('result', 'refused', 'rule', 'missing');
        RETURN;
    ELSIF NOT public_accepting(e) THEN
        answer := json_build_object('result', 'refused', 'rule', 'closed');
        RETURN;
    END IF;
    v_purpose := purpose_current(e.type);
    IF v_purpose.id IS DISTINCT FROM p_purpose THEN
        answer := json_build_object('result', 'refused', 'rule', 'purpose');
        RETURN;
    END IF;
    BEGIN
        v_reg := registration_insert(NULL, e, p_token, p);
    EXCEPTION WHEN SQLSTATE 'JF409' OR SQLSTATE 'JF422' THEN
        GET STACKED DIAGNOSTICS v_column = COLUMN_NAME, v_state = RETURNED_SQLSTATE;
        IF v_state = 'JF409' AND v_column = 'name_kana' THEN
            v_twin := true;
        ELSE
            answer := json_build_object('result', 'refused',
                'rule', CASE WHEN v_column = 'capacity' THEN 'full' ELSE 'field' END,
                'field', v_column);
            RETURN;
        END IF;
    END;
    -- A full event is full for everyone, registered before or not.
    IF v_twin AND e.capacity IS NOT NULL AND e.registered_count >= e.capacity THEN
        answer := json_build_object('result', 'refused', 'rule', 'full', 'field', 'capacity');
        RETURN;
    END IF;
    IF v_twin THEN
        -- The number the refused row drew: numbers then advance by one
        -- per application either way, telling nothing.
        v_number := currval(pg_get_serial_sequence('registrations', 'id'));
        PERFORM public_remind(e, registration_person_key(
            p->>'name_kana', (p->>'birth_date')::date, p->>'phone',
            p->>'email', p->>'name'));
    ELSE
        v_number := (v_reg->>'id')::bigint;
        UPDATE registrations SET purpose_id = v_purpose.id WHERE id = v_number;
    END IF;
    INSERT INTO public_receipts (event_id, registration_id, secret_hash, cancel_hash,
                                 purpose_id, number, token, name, name_kana,
                                 cancel_expires_at)
    VALUES (e.id, CASE WHEN NOT v_twin THEN v_number END, public_hash(p_secret),
            public_hash(public_cancel_secret(p_secret)), v_purpose.id, v_number,
            CASE WHEN v_twin THEN p_token END,
            CASE WHEN v_twin THEN p->>'name' END, CASE WHEN v_twin THEN p->>'name_kana' END,
            e.ends_at);
    IF p->>'email' IS NOT NULL THEN
        PERFORM mail_enqueue('apply_confirmation', e.id, p->>'email',
                             left('【受付完了】' || e.title, 200),
                             public_mail_body(e, p->>'name', v_number, p_base, p_secret),
                             p_token);
    END IF;
    answer := json_build_object('result', 'accepted');
    event_id := CASE WHEN NOT v_twin THEN e.id END;
END;
$$;

-- GET /apply/receipt/{secret}: the confirmation, or NULL (404).
CREATE OR REPLACE FUNCTION public_receipt(p_secret text) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'number', lpad(p.number::text, 6, '0'),
        'name', coalesce(r.name, p.name, ''),
        'cancelled', p.cancelled_at IS NOT NULL OR r.status = 'cancelled',
        'cancel', public_cancel_secret(p_secret),
        'cancel_open', p.cancelled_at IS NULL AND now() < p.cancel_expires_at,
        'event', public_event_json(e))
    FROM public_receipts p JOIN events e ON e.id = p.event_id
    LEFT JOIN registrations r ON r.id = p.registration_id
    WHERE p.secret_hash = public_hash(p_secret);
$$;

-- The receipt's check-in token, or NULL: none once cancelled.
CREATE OR REPLACE FUNCTION public_receipt_token(p_secret text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(r.checkin_token, p.token)
    FROM public_receipts p LEFT JOIN registrations r ON r.id = p.registration_id
    WHERE p.secret_hash = public_hash(p_secret) AND p.cancelled_at IS NULL
      AND coalesce(r.status, 'registered') = 'registered';
$$;

-- The receipt's 受付票 as print_seekers() answers it, for pdf.c.
CREATE OR REPLACE FUNCTION public_receipt_print(p_secret text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('event', print_event(p.event_id), 'items', jsonb_build_array(
        jsonb_build_object('id', p.number, 'name', coalesce(r.name, p.name, ''),
                           'kana', coalesce(r.name_kana, p.name_kana, ''),
                           'token', public_receipt_token(p_secret))))
    FROM public_receipts p LEFT JOIN registrations r ON r.id = p.registration_id
    WHERE p.secret_hash = public_hash(p_secret) AND public_receipt_token(p_secret) IS NOT NULL;
$$;

-- GET /apply/cancel/{secret}: {"state": "ready" | "used" | "expired",
-- "event"}, or NULL (404).
CREATE OR REPLACE FUNCTION public_cancel_state(p_cancel text) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'state', CASE WHEN p.cancelled_at IS NOT NULL THEN 'used'
                      WHEN now() >= p.cancel_expires_at THEN 'expired' ELSE 'ready' END,
        'event', public_event_json(e))
    FROM public_receipts p JOIN events e ON e.id = p.event_id
    WHERE p.cancel_hash = public_hash(p_cancel);
$$;

-- POST /apply/cancel/{secret}: once. The registration, if the receipt
-- has one, is cancelled and its place freed; the event's id is the
-- second column then (the live numbers moved).
CREATE OR REPLACE FUNCTION public_cancel(p_cancel text, OUT answer json, OUT event_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
    p public_receipts;
BEGIN
    SELECT * INTO p FROM public_receipts WHERE cancel_hash = public_hash(p_cancel) FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    answer := public_cancel_state(p_cancel);
    IF answer->>'state' <> 'ready' THEN
        RETURN;
    END IF;
    UPDATE public_receipts SET cancelled_at = now() WHERE id = p.id;
    IF p.registration_id IS NOT NULL THEN
        UPDATE registrations SET status = 'cancelled', cancelled_at = now(), updated_at = now()
        WHERE id = p.registration_id AND status = 'registered';
        IF FOUND THEN
            PERFORM audit(NULL, 'cancel', 'registration', p.registration_id,
                          jsonb_build_object('event_id', p.event_id, 'via', 'public'));
            event_id := p.event_id;
        END IF;
    END IF;
    answer := json_build_object('state', 'cancelled', 'event', answer->'event');
END;
$$;

-- GET /api/v1/purpose-statements: the newest of each event type.
CREATE OR REPLACE FUNCTION api_purpose_list() RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('items', coalesce(json_agg(purpose_json(purpose_current(t.code))
                                               ORDER BY t.sort_order), '[]'), 'next', NULL)
    FROM event_types t;
$$;

-- PUT /api/v1/event-types/{code}/purpose: a new version; the old ones
-- stay, since registrations name the one they consented to.
CREATE OR REPLACE FUNCTION api_purpose_set(p_user bigint, p_type text, p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    s purpose_statements;
BEGIN
    PERFORM event_type_check(p_type);
    INSERT INTO purpose_statements (event_type, version, body, created_by)
    VALUES (p_type, coalesce((purpose_current(p_type)).version, 0) + 1, p->>'body', p_user)
    RETURNING * INTO s;
    PERFORM audit(p_user, 'update', 'purpose_statement', s.id,
                  jsonb_build_object('event_type', p_type, 'version', s.version));
    RETURN purpose_json(s);
END;
$$;

-- The acknowledgement to a company that applied: the same words whether
-- its 法人番号 was known or not, and nothing of what is stored.
CREATE OR REPLACE FUNCTION public_company_mail_body(e events, p jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT (p->>'name') || E' ご担当者様\n\n'
        || E'次の催しへの出展のお申込みを受け付けました。\n'
        || E'内容を確認のうえ、出展の可否を山口市から改めてメールでお知らせします。\n\n'
        || '催し：' || e.title || E'\n'
        || '日時：' || public_when_ja(e.starts_at, e.ends_at) || E'\n'
        || '会場：' || coalesce(e.venue, '') || E'\n'
        || '法人番号：' || (p->>'corporate_number') || E'\n'
        || '求人：' || coalesce(jsonb_array_length(p->'openings'), 0) || E'件\n\n'
        || E'このメールにお心当たりのない方は、お手数ですが破棄してください。\n'
        || E'このメールは送信専用です。お問い合わせは主催者までお願いします。\n';
$$;

-- POST /apply/events/{id}/company: a company's application, in one
-- transaction. p is the form as bodies_company_application checked it.
-- The company is found by its 法人番号 or made from the form; a known
-- company's row is left as it is (the form may come from anyone). The
-- booth is new with status 'applied' and the openings; if the company
-- has a booth at the event already, that booth is left alone. Either
-- way the application is kept (booth_applications) for the organizer,
-- the acknowledgement goes to the given address, and the answer is the
-- same {"result": "accepted"}: it tells a stranger nothing. The event's
-- id is the second column when a booth was made (the counts moved).
-- Refused: {"result": "refused", "rule": "missing" | "closed" |
-- "field", "field"}, having written nothing.
CREATE OR REPLACE FUNCTION public_company_apply(p_event bigint, p_token text, p jsonb,
                                                OUT answer json, OUT event_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
    e events;
    v_company bigint;
    v_created boolean := false;
    b participations;
BEGIN
    SELECT ev.* INTO e FROM events ev JOIN event_types t ON t.code = ev.type
    WHERE ev.id = p_event AND ev.public_open AND t.has_companies FOR UPDATE OF ev;
    IF NOT FOUND THEN
        answer := json_build_object('result', 'refused', 'rule', 'missing');
        RETURN;
    ELSIF NOT public_accepting(e) THEN
        answer := json_build_object('result', 'refused', 'rule', 'closed');
        RETURN;
    ELSIF NOT coalesce(corporate_number_valid(p->>'corporate_number'), false) THEN
        answer := json_build_object('result', 'refused', 'rule', 'field',
                                    'field', 'corporate_number');
        RETURN;
    END IF;
    INSERT INTO companies (corporate_number, name, name_kana, postal_code, address, phone,
                           contact_name, email)
    VALUES (p->>'corporate_number', p->>'name', p->>'name_kana', p->>'postal_code',
            p->>'address', p->>'phone', p->>'contact_name', p->>'email')
    ON CONFLICT (corporate_number) DO NOTHING
    RETURNING id INTO v_company;
    v_created := v_company IS NOT NULL;
    IF v_created THEN
        PERFORM audit(NULL, 'create', 'company', v_company, jsonb_build_object('via', 'public'));
    ELSE
        SELECT id INTO v_company FROM companies WHERE corporate_number = p->>'corporate_number';
    END IF;
    INSERT INTO participations (event_id, company_id, status, representatives, checkin_token)
    VALUES (e.id, v_company, 'applied', (p->>'representatives')::int, p_token)
    ON CONFLICT ON CONSTRAINT participations_event_id_company_id_key DO NOTHING
    RETURNING * INTO b;
    IF b.id IS NOT NULL THEN
        PERFORM booth_openings_replace(b.id, p->'openings');
        event_id := e.id;
    ELSE
        SELECT * INTO b FROM participations pa WHERE pa.event_id = e.id AND pa.company_id = v_company;
    END IF;
    INSERT INTO booth_applications (participation_id, details, created_company)
    VALUES (b.id, p, v_created);
    PERFORM audit(NULL, 'apply', 'booth', b.id,
                  jsonb_build_object('event_id', e.id, 'via', 'public'));
    PERFORM mail_enqueue('booth_application', e.id, p->>'email',
                         left('【出展申込み受付】' || e.title, 200),
                         public_company_mail_body(e, p), NULL);
    answer := json_build_object('result', 'accepted');
END;
$$;

-- GET /api/v1/events/{id}/companies/{company_id}/applications: what the
-- company sent on the public form, newest first, for the organizer who
-- confirms or declines the booth; and whether the company's row was made
-- from it or is one the city had already.
CREATE OR REPLACE FUNCTION api_booth_applications(p_event bigint, p_company bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('items', coalesce(json_agg(json_build_object(
               'id', a.id, 'details', a.details, 'created_company', a.created_company,
               'created_at', rfc3339_jst(a.created_at)) ORDER BY a.id DESC), '[]'), 'next', NULL)
    FROM booth_applications a JOIN participations pa ON pa.id = a.participation_id
    WHERE pa.event_id = p_event AND pa.company_id = p_company;
$$;
