-- The logs an admin reads in the back office: the audit log (who read or
-- changed what) and an event's scan log, refused scans included.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- q: user (name), kind (an action or an entity type), from and to (dates
-- in Japan's time, both included), limit, offset. Newest first. The audit
-- trail (sql/audit.sql): an entry of the scan log has a scan_id instead
-- of an id; the two break ties of time apart so pages never overlap.
CREATE OR REPLACE FUNCTION api_audit_list(q jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH hits AS (
        SELECT a.*, u.name AS user_name FROM audit_trail a
        LEFT JOIN users u ON u.id = a.user_id
        WHERE (NOT q ? 'user' OR u.name = q->>'user')
          AND (NOT q ? 'kind' OR a.action = q->>'kind' OR a.object_type = q->>'kind')
          AND (NOT q ? 'from' OR a.at >= ((q->>'from')::date::timestamp AT TIME ZONE 'Asia/Tokyo'))
          AND (NOT q ? 'to' OR a.at < (((q->>'to')::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'))
    )
    SELECT jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(jsonb_build_object('at', rfc3339_jst(h.at),
                       'user', h.user_name, 'action', h.action, 'entity', h.object_type,
                       'entity_id', h.object_id, 'detail', h.detail)
                       || CASE WHEN h.scan_id IS NULL THEN jsonb_build_object('id', h.id)
                               ELSE jsonb_build_object('scan_id', h.scan_id) END
                       ORDER BY h.at DESC, h.scan_id DESC NULLS LAST, h.id DESC)
            FROM (SELECT * FROM hits ORDER BY at DESC, scan_id DESC NULLS LAST, id DESC
                  LIMIT coalesce((q->>'limit')::int, 50)
                  OFFSET coalesce((q->>'offset')::int, 0)) h), '[]'::jsonb),
        'total', (SELECT count(*) FROM hits));
$$;

-- q: result, limit, offset. Newest first; NULL (404) for no such event.
CREATE OR REPLACE FUNCTION api_scans_list(p_event bigint, q jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH hits AS (
        SELECT s.*, u.name AS user_name FROM scans s
        LEFT JOIN users u ON u.id = s.user_id
        WHERE s.event_id = p_event AND (NOT q ? 'result' OR s.result = q->>'result')
    )
    SELECT jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', h.id, 'at', rfc3339_jst(h.received_at),
                       'scanned_at', rfc3339_jst(h.scanned_at), 'desk', h.desk,
                       'user', h.user_name, 'result', h.result, 'offline', h.offline,
                       'registration_id', (h.response->>'registration_id')::bigint,
                       'company_id', (h.response->>'company_id')::bigint,
                       'name', h.response->>'name')
                       ORDER BY h.received_at DESC, h.id DESC)
            FROM (SELECT * FROM hits ORDER BY received_at DESC, id DESC
                  LIMIT coalesce((q->>'limit')::int, 50)
                  OFFSET coalesce((q->>'offset')::int, 0)) h), '[]'::jsonb),
        'total', (SELECT count(*) FROM hits))
    WHERE EXISTS (SELECT 1 FROM events WHERE id = p_event);
$$;
