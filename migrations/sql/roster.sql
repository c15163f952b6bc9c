-- The roster an offline desk downloads.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- The roster leaves out rows without a check-in token (made outside the API):
-- they cannot be scanned, and a null hash made the desk refuse the roster.
CREATE OR REPLACE FUNCTION api_roster(p_user bigint, p_event bigint) RETURNS jsonb
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
                     -- What the desk acts on, as in a scan's answer; never the handbook.
                     'accommodations', to_jsonb(r.accommodations), 'supporters', r.supporters,
                     'checked_in', EXISTS (SELECT 1 FROM checkins c
                                           WHERE c.registration_id = r.id
                                             AND c.undone_at IS NULL)) AS i
          FROM registrations r
          WHERE r.event_id = p_event AND r.purged_at IS NULL
            AND r.checkin_token IS NOT NULL
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
          WHERE b.event_id = p_event AND b.checkin_token IS NOT NULL) items(i);
    PERFORM audit(p_user, 'roster', 'event_registrations', p_event,
                  jsonb_build_object('items', jsonb_array_length(v_items)));
    RETURN (SELECT jsonb_build_object('event_id', e.id, 'title', e.title,
                                      'generated_at', rfc3339_jst(now()),
                                      'counts', checkin_counts(e.id), 'items', v_items)
            FROM events e WHERE e.id = p_event);
END;
$$;
