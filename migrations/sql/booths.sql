-- A company's booth at an event (participations), its openings and its QR token.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

CREATE OR REPLACE FUNCTION booth_json(p participations) RETURNS json
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
        'checkin_token', p.checkin_token,
        -- Applications sent on the public form (public_company_apply).
        'applications', (SELECT count(*) FROM booth_applications a
                         WHERE a.participation_id = p.id))
    FROM companies c WHERE c.id = p.company_id;
$$;

-- Replaces a booth's openings; "契約" is how staff write 契約社員.
CREATE OR REPLACE FUNCTION booth_openings_replace(p_booth bigint, p_openings jsonb) RETURNS void
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

CREATE OR REPLACE FUNCTION api_booth_create(p_user bigint, p_event bigint, p_token text, p jsonb)
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

-- The organizer's answer to a company that applied (applied → confirmed
-- or cancelled), queued to its contact address in the same transaction;
-- nothing when the company gave none.
CREATE OR REPLACE FUNCTION booth_answer_mail(b participations) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    c companies;
    e events;
    confirmed boolean := b.status = 'confirmed';
BEGIN
    SELECT * INTO c FROM companies WHERE id = b.company_id;
    SELECT * INTO e FROM events WHERE id = b.event_id;
    IF c.email IS NULL THEN
        RETURN;
    END IF;
    PERFORM mail_enqueue(
        CASE WHEN confirmed THEN 'booth_confirmed' ELSE 'booth_declined' END,
        e.id, c.email,
        CASE WHEN confirmed THEN '【' || left(e.title, 160) || '】出展が確定しました'
             ELSE '【' || left(e.title, 160) || '】今回はお受けできませんでした' END,
        c.name || E' ご担当者様\n\n'
        || CASE WHEN confirmed
                THEN E'このたびは出展のお申し込みをいただき、ありがとうございます。\n'
                     || E'次のとおり出展が確定しました。\n\n'
                ELSE E'このたびは出展のお申し込みをいただき、ありがとうございました。\n'
                     || E'まことに申し訳ありませんが、今回は出展をお受けできませんでした。\n\n'
           END
        || 'イベント：' || e.title || E'\n'
        || '日時：' || to_char(e.starts_at AT TIME ZONE 'Asia/Tokyo', 'YYYY"年"FMMM"月"FMDD"日" HH24:MI')
        || '〜' || to_char(e.ends_at AT TIME ZONE 'Asia/Tokyo', 'HH24:MI') || E'\n'
        || coalesce('会場：' || e.venue || E'\n', '')
        || CASE WHEN confirmed AND b.booth IS NOT NULL THEN 'ブース：' || b.booth || E'\n' ELSE '' END
        || E'\nこのメールは送信専用です。お問い合わせは主催者までお願いします。\n',
        NULL);
END;
$$;

CREATE OR REPLACE FUNCTION api_booth_update(p_user bigint, p_event bigint, p_company bigint, p jsonb)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    b participations;
    was text;
BEGIN
    SELECT * INTO b FROM participations
    WHERE event_id = p_event AND company_id = p_company FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the company does not take part in this event' USING ERRCODE = 'JF404';
    END IF;
    was := b.status;
    b := jsonb_populate_record(b, p);
    UPDATE participations
    SET (status, booth, representatives, updated_at) = (b.status, b.booth, b.representatives, now())
    WHERE id = b.id
    RETURNING * INTO b;
    IF p ? 'openings' THEN
        PERFORM booth_openings_replace(b.id, p->'openings');
    END IF;
    IF was = 'applied' AND b.status <> 'applied' THEN
        PERFORM booth_answer_mail(b);
    END IF;
    PERFORM audit(p_user, 'update', 'booth', b.id, p);
    RETURN booth_json(b);
END;
$$;

CREATE OR REPLACE FUNCTION api_booths_list(p_event bigint, q jsonb) RETURNS json
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

CREATE OR REPLACE FUNCTION booth_qr_token(p_event bigint, p_company bigint) RETURNS text
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

CREATE OR REPLACE FUNCTION api_reissue_booth_token(p_user bigint, p_event bigint, p_company bigint,
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
