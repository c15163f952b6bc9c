-- Small helpers shared by the API functions: fiscal years, times as
-- clients show them, paging, and a refused row of a batch.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- Japanese fiscal year (April to March) of an instant, in Japan's time.
CREATE OR REPLACE FUNCTION fiscal_year(ts timestamptz) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN extract(month FROM ts AT TIME ZONE 'Asia/Tokyo') >= 4
                THEN extract(year FROM ts AT TIME ZONE 'Asia/Tokyo')::int
                ELSE extract(year FROM ts AT TIME ZONE 'Asia/Tokyo')::int - 1
           END;
$$;

-- The era label of a fiscal year, by lookup as the plan writes it: FY2019
-- straddles the change of era and is 平成31年度(令和元年度).
CREATE OR REPLACE FUNCTION fiscal_year_label(fy int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN fy = 2019 THEN '平成31年度(令和元年度)'
        WHEN fy = 1989 THEN '平成元年度'
        WHEN fy > 2019 THEN '令和' || (fy - 2018) || '年度'
        WHEN fy > 1989 THEN '平成' || (fy - 1988) || '年度'
    END;
$$;

-- An instant as RFC 3339 in Japan's time, the way every client shows it.
CREATE OR REPLACE FUNCTION rfc3339_jst(ts timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT to_char(ts AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD"T"HH24:MI:SS"+09:00"');
$$;

-- One page of a list ordered by id: at most p_limit items, and the cursor
-- for the next page when the query fetched one row more than that.
CREATE OR REPLACE FUNCTION page_json(p_items json[], p_ids bigint[], p_limit int) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'items', coalesce(array_to_json(p_items[1:p_limit]), '[]'::json),
        'next', CASE WHEN cardinality(p_ids) > p_limit THEN p_ids[p_limit]::text END);
$$;

-- The paging parameters of a validated query string.
CREATE OR REPLACE FUNCTION page_limit(q jsonb) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce((q->>'limit')::int, 50);
$$;

CREATE OR REPLACE FUNCTION page_after(q jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce((q->>'after')::bigint, 0);
$$;

-- A row's error as server/api.c maps it to HTTP: {"status", "error"},
-- the error in the API's one shape ("fields" only when a column is
-- known). NULL for an error that is no refusal of the row (a deadlock, a
-- bug): the whole statement fails and api.c answers for it.
CREATE OR REPLACE FUNCTION api_row_refusal(p_state text, p_message text, p_column text,
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

-- Rows that a check-in's rows name without a foreign key (see
-- migrations/0028_checkin_hot_keys.sql: each key locked its row, the
-- same few rows from every desk): events are closed, users revoked,
-- registrations and booths cancelled, result codes only added; none is
-- ever deleted or renumbered. Statement-level triggers, so a check-in
-- pays nothing for them.
CREATE OR REPLACE FUNCTION refuse_row_removal() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted or renumbered', TG_TABLE_NAME
        USING ERRCODE = 'JF403';
END;
$$;
-- One trigger per kept table (its name: table_kept), on its key.
DO $$
DECLARE
    k record;
BEGIN
    FOR k IN SELECT * FROM (VALUES ('events', 'id'), ('users', 'id'), ('registrations', 'id'),
                                   ('participations', 'id'), ('scan_results', 'code'))
                           AS kept (tab, key) LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE DELETE OR TRUNCATE OR UPDATE OF %I'
                       ' ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_row_removal()',
                       k.tab || '_kept', k.key, k.tab);
    END LOOP;
END;
$$;
