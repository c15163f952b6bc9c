-- Imports from an uploaded CSV file are all or nothing: every row goes
-- in, or none does and each refused row is named. Each row is tried in
-- its own subtransaction (batch_by_row), so one refusal does not hide the
-- next; at the end a refusal (or a dry run) rolls the whole block back.
-- PL/pgSQL variables are not transactional: the results survive the
-- rollback. 'JFRBK' is caught here and never reaches a client.

-- A batch one row at a time, each row in its own subtransaction, so that
-- a row is refused alone and with its reason. The rows are p->p_list,
-- each made as its single endpoint makes one: 'companies' by
-- api_company_create(), 'registrations' by registration_insert() with
-- its token from p_tokens and a place at event e (for
-- registration_batch_by_row). Answers {"results": [{"index", "status",
-- "company" | "registration" | "error"}, …], "created", "refused"} in
-- the order of the input.
CREATE OR REPLACE FUNCTION batch_by_row(p_list text, p_user bigint, e events,
                                        p_tokens text[], p jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_item jsonb;
    v_index int;
    v_row json;
    v_refusal jsonb;
    v_results json[] := '{}';
    v_created int := 0;
    v_counted int := 0;
    v_state text;
    v_message text;
    v_column text;
    v_detail text;
BEGIN
    FOR v_item, v_index IN
        SELECT value, ordinality - 1
        FROM jsonb_array_elements(p->p_list) WITH ORDINALITY
        ORDER BY ordinality
    LOOP
        -- A row the server's field check refused (input.c,
        -- INPUT_OBJECT_ROWS) is answered as the single endpoint would.
        IF v_item ? '_refused' THEN
            v_results := array_append(v_results, json_build_object(
                'index', v_index, 'status', 422,
                'error', jsonb_build_object('code', 'validation_failed',
                                            'message', 'invalid input',
                                            'fields', v_item->'_refused')));
            CONTINUE;
        END IF;
        BEGIN
            IF p_list = 'companies' THEN
                v_row := api_company_create(p_user, v_item);
            ELSE
                v_row := registration_insert(p_user, e, p_tokens[v_index + 1], v_item);
                -- Where the count trigger's CHECK would refuse the row:
                -- after the other rules, as for a single registration.
                IF v_row->>'status' = 'registered' THEN
                    IF e.registered_count + v_counted >= e.capacity THEN
                        PERFORM registration_refuse('full');
                    END IF;
                    v_counted := v_counted + 1;
                END IF;
            END IF;
            v_results := array_append(v_results, json_build_object(
                'index', v_index, 'status', 201,
                CASE p_list WHEN 'companies' THEN 'company' ELSE 'registration' END, v_row));
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
    RETURN json_build_object(
        'results', array_to_json(v_results),
        'created', v_created,
        'refused', cardinality(v_results) - v_created);
END;
$$;

-- An import of p->p_list ('companies', or 'registrations' at event
-- p_event with a check-in token each in p_tokens): every row in, or
-- none when one is refused or for a dry run.
CREATE OR REPLACE FUNCTION import_all_or_nothing(p_list text, p_user bigint, p_event bigint,
                                                 p_tokens text[], p jsonb,
                                                 p_dry_run boolean)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_answer json;
BEGIN
    BEGIN
        v_answer := CASE p_list
            WHEN 'companies' THEN batch_by_row(p_list, p_user, NULL, NULL, p)
            ELSE api_registration_create_batch(p_user, p_event, p_tokens, p) END;
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

CREATE OR REPLACE FUNCTION api_companies_import(p_user bigint, p jsonb, p_dry_run boolean)
RETURNS json
LANGUAGE sql AS $$
    SELECT import_all_or_nothing('companies', p_user, NULL, NULL, p, p_dry_run);
$$;

CREATE OR REPLACE FUNCTION api_registrations_import(p_user bigint, p_event bigint,
                                                    p_tokens text[], p jsonb,
                                                    p_dry_run boolean)
RETURNS json
LANGUAGE sql AS $$
    SELECT import_all_or_nothing('registrations', p_user, p_event, p_tokens, p, p_dry_run);
$$;
