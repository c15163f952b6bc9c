-- Event types and events.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

CREATE OR REPLACE FUNCTION api_event_types() RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('items', coalesce(json_agg(json_build_object(
               'code', code, 'name_ja', name_ja, 'name_en', name_en,
               'has_companies', has_companies) ORDER BY sort_order), '[]'::json),
           'next', NULL)
    FROM event_types;
$$;

CREATE OR REPLACE FUNCTION event_type_check(p_type text) RETURNS event_types
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

CREATE OR REPLACE FUNCTION event_json(e events) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', e.id, 'type', e.type, 'type_name', t.name_ja, 'title', e.title,
        'starts_at', rfc3339_jst(e.starts_at), 'ends_at', rfc3339_jst(e.ends_at),
        'venue', e.venue, 'capacity', e.capacity,
        'target_companies', e.target_companies, 'target_seekers', e.target_seekers,
        'organizer', e.organizer, 'status', e.status,
        'fiscal_year', e.fiscal_year, 'fiscal_year_label', fiscal_year_label(e.fiscal_year),
        'registered_count', e.registered_count,
        'public_open', e.public_open, 'public_deadline', rfc3339_jst(e.public_deadline),
        'public_bring', e.public_bring,
        'company_count', (SELECT count(*) FROM participations p
                          WHERE p.event_id = e.id AND p.status <> 'cancelled'))
    FROM event_types t WHERE t.code = e.type;
$$;

-- Writes an event's row, explaining the constraints a client can break.
CREATE OR REPLACE FUNCTION event_store(p_id bigint, p jsonb) RETURNS events
LANGUAGE plpgsql AS $$
DECLARE
    e events;
    c text;
BEGIN
    IF p_id IS NULL THEN
        e := jsonb_populate_record(NULL::events, p);
        e.status := coalesce(e.status, 'draft');
        e.public_open := coalesce(e.public_open, false);
        INSERT INTO events (type, title, starts_at, ends_at, venue, capacity,
                            target_companies, target_seekers, organizer, status,
                            public_open, public_deadline, public_bring)
        VALUES (e.type, e.title, e.starts_at, e.ends_at, e.venue, e.capacity,
                e.target_companies, e.target_seekers, e.organizer, e.status,
                e.public_open, e.public_deadline, e.public_bring)
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
                           public_open, public_deadline, public_bring, updated_at)
            = (e.type, e.title, e.starts_at, e.ends_at, e.venue, e.capacity,
               e.target_companies, e.target_seekers, e.organizer, e.status,
               coalesce(e.public_open, false), e.public_deadline, e.public_bring, now())
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

CREATE OR REPLACE FUNCTION api_event_create(p_user bigint, p jsonb) RETURNS json
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

CREATE OR REPLACE FUNCTION api_event_update(p_user bigint, p_id bigint, p jsonb) RETURNS json
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

CREATE OR REPLACE FUNCTION api_events_list(q jsonb) RETURNS json
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

-- A closed event's figures are final; an organizer may reopen it (PATCH
-- status) to take a late check-in or a correction. The reopening is on
-- the record, and from then on so is every change to the event's
-- check-ins (checkin_tally()). The organizer's own audit row of the
-- update follows in api_event_update. Before the update, to mark the row
-- itself (reopened_at): the check-in asks it, not audit_log.
CREATE OR REPLACE FUNCTION events_reopen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM audit(NULL, 'reopen', 'event', NEW.id, jsonb_build_object('status', NEW.status));
    NEW.reopened_at := now();
    RETURN NEW;
END;
$$;
CREATE OR REPLACE TRIGGER events_reopen BEFORE UPDATE OF status ON events
    FOR EACH ROW WHEN (OLD.status = 'closed' AND NEW.status <> 'closed')
    EXECUTE FUNCTION events_reopen();
