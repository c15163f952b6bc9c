-- Imports from an uploaded CSV file are all or nothing: every row goes
-- in, or none does and each refused row is named. Each row is tried in
-- its own subtransaction, so one refusal does not hide the next; at the
-- end a refusal (or a dry run) rolls the whole block back. PL/pgSQL
-- variables are not transactional: the results survive the rollback.
-- 'JFRBK' is caught here and never reaches a client.

CREATE OR REPLACE FUNCTION api_companies_import(p_user bigint, p jsonb, p_dry_run boolean)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_item jsonb;
    v_index int;
    v_results json[] := '{}';
    v_refused int := 0;
    v_refusal jsonb;
    v_state text;
    v_message text;
    v_column text;
    v_detail text;
BEGIN
    BEGIN
        FOR v_item, v_index IN
            SELECT value, ordinality - 1
            FROM jsonb_array_elements(p->'companies') WITH ORDINALITY
            ORDER BY ordinality
        LOOP
            BEGIN
                v_results := array_append(v_results, json_build_object(
                    'index', v_index, 'status', 201,
                    'company', api_company_create(p_user, v_item)));
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE,
                    v_message = MESSAGE_TEXT, v_column = COLUMN_NAME,
                    v_detail = PG_EXCEPTION_DETAIL;
                v_refusal := api_row_refusal(v_state, v_message, v_column, v_detail);
                IF v_refusal IS NULL THEN
                    RAISE;
                END IF;
                v_refused := v_refused + 1;
                v_results := array_append(v_results, json_build_object(
                    'index', v_index, 'status', (v_refusal->>'status')::int,
                    'error', v_refusal->'error'));
            END;
        END LOOP;
        IF v_refused > 0 OR p_dry_run THEN
            RAISE EXCEPTION 'import rolled back' USING ERRCODE = 'JFRBK';
        END IF;
    EXCEPTION WHEN SQLSTATE 'JFRBK' THEN
        NULL;
    END;
    RETURN json_build_object(
        'imported', v_refused = 0 AND NOT p_dry_run,
        'refused', v_refused,
        'results', array_to_json(v_results));
END;
$$;

CREATE OR REPLACE FUNCTION api_registrations_import(p_user bigint, p_event bigint,
                                                    p_tokens text[], p jsonb,
                                                    p_dry_run boolean)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_answer json;
BEGIN
    BEGIN
        v_answer := api_registration_create_batch(p_user, p_event, p_tokens, p);
        IF (v_answer->>'refused')::int > 0 OR p_dry_run THEN
            RAISE EXCEPTION 'import rolled back' USING ERRCODE = 'JFRBK';
        END IF;
    EXCEPTION WHEN SQLSTATE 'JFRBK' THEN
        NULL;
    END;
    RETURN json_build_object(
        'imported', (v_answer->>'refused')::int = 0 AND NOT p_dry_run,
        'refused', (v_answer->>'refused')::int,
        'results', v_answer->'results');
END;
$$;
