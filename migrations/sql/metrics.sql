-- Plan metrics: targets and actuals per fiscal year.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- Every metric's actual in fiscal years p_from..p_to (or one metric's):
-- what is stored (the plan's figures, or entered ones summed over their
-- months) wins; a counted metric otherwise counts booths and job seekers
-- with a live check-in at that year's events of its type, each event on
-- its own (延べ, as the plan counts two seminars of 20 as 40), with the
-- events held as sessions; NULL when neither applies. One set-based
-- query, so a report aggregates each year's check-ins once.
CREATE OR REPLACE FUNCTION plan_cells(p_from int, p_to int, p_metric text DEFAULT NULL)
RETURNS TABLE (metric_code text, fiscal_year int, cell plan_figures)
LANGUAGE sql STABLE AS $$
    WITH stored AS (
        SELECT a.metric_code, a.fiscal_year,
               (sum(a.companies)::int, sum(a.persons)::int, sum(a.cases)::int,
                sum(a.sessions)::int, string_agg(a.note, ' ' ORDER BY a.month))::plan_figures AS cell
        FROM plan_actuals a
        WHERE a.fiscal_year BETWEEN p_from AND p_to
          AND (p_metric IS NULL OR a.metric_code = p_metric)
        GROUP BY a.metric_code, a.fiscal_year),
    -- One live check-in per booth and per registration (the unique
    -- indexes of 0003): plain counts per event are distinct ones.
    held AS (
        SELECT e.type, e.fiscal_year, count(c.participation_id) AS companies,
               count(c.registration_id) AS persons
        FROM events e
        JOIN checkins c ON c.event_id = e.id AND c.undone_at IS NULL
        WHERE e.fiscal_year BETWEEN p_from AND p_to
          AND e.type IN (SELECT m.event_type FROM plan_metrics m
                         WHERE p_metric IS NULL OR m.code = p_metric)
        GROUP BY e.id),
    counted AS (
        SELECT type, fiscal_year, sum(companies)::int AS companies,
               sum(persons)::int AS persons, count(*)::int AS sessions
        FROM held GROUP BY type, fiscal_year)
    SELECT m.code, y,
           CASE WHEN s.metric_code IS NOT NULL THEN s.cell
                WHEN m.kind = 'counted' THEN
                    (CASE WHEN 'companies' = ANY (m.figures) THEN coalesce(k.companies, 0) END,
                     coalesce(k.persons, 0), NULL, coalesce(k.sessions, 0), NULL)::plan_figures
           END
    FROM plan_metrics m
    CROSS JOIN generate_series(p_from, p_to) AS y
    LEFT JOIN stored s ON s.metric_code = m.code AND s.fiscal_year = y
    LEFT JOIN counted k ON k.type = m.event_type AND k.fiscal_year = y
    WHERE p_metric IS NULL OR m.code = p_metric;
$$;

CREATE OR REPLACE FUNCTION plan_figure(p_name text, v plan_figures) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_name WHEN 'companies' THEN v.companies
                       WHEN 'persons' THEN v.persons
                       WHEN 'cases' THEN v.cases END;
$$;

-- A cell as clients read it: a number for a one-figure metric, else an
-- object in the metric's figure order ({companies, persons} or
-- {persons, cases}); NULL for a blank cell.
CREATE OR REPLACE FUNCTION plan_value_json(p_figures text[], v plan_figures) RETURNS json
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN v IS NULL OR num_nonnulls(v.companies, v.persons, v.cases) = 0 THEN NULL
        WHEN cardinality(p_figures) = 1 THEN to_json(plan_figure(p_figures[1], v))
        ELSE json_build_object(p_figures[1], plan_figure(p_figures[1], v),
                               p_figures[2], plan_figure(p_figures[2], v))
    END;
$$;

CREATE OR REPLACE FUNCTION plan_achievement_json(p_figures text[], a plan_figures, t plan_figures)
RETURNS json LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN cardinality(p_figures) = 1
        THEN to_json(report_percent(plan_figure(p_figures[1], a), plan_figure(p_figures[1], t)))
        WHEN num_nonnulls(t.companies, t.persons, t.cases) = 0
          OR num_nonnulls(a.companies, a.persons, a.cases) = 0 THEN NULL
        ELSE json_build_object(
            p_figures[1], report_percent(plan_figure(p_figures[1], a), plan_figure(p_figures[1], t)),
            p_figures[2], report_percent(plan_figure(p_figures[2], a), plan_figure(p_figures[2], t)))
    END;
$$;

CREATE OR REPLACE FUNCTION plan_target_figures(t plan_targets) RETURNS plan_figures
LANGUAGE sql IMMUTABLE AS $$
    SELECT (t.companies, t.persons, t.cases, NULL, NULL)::plan_figures;
$$;

-- The metric catalogue entry every metric answer starts with.
CREATE OR REPLACE FUNCTION plan_metric_json(m plan_metrics) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'code', m.code, 'programme', g.name, 'metric', m.name,
        'description', m.description, 'unit', m.unit, 'figures', m.figures,
        'kind', m.kind, 'event_type', m.event_type)
    FROM plan_programmes g WHERE g.code = m.programme_code;
$$;

-- The figures a write gives, checked against the metric: a one-figure
-- metric takes `single_key` ("actual" or "target"), a two-figure one its
-- two figure names. Raises JF422 naming the field.
CREATE OR REPLACE FUNCTION plan_figures_from_body(m plan_metrics, p_body jsonb, p_single_key text)
RETURNS plan_figures LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    f text;
    v plan_figures;
    allowed text[] := CASE WHEN cardinality(m.figures) = 1 THEN ARRAY[p_single_key]
                           ELSE m.figures END;
BEGIN
    FOREACH f IN ARRAY ARRAY['actual', 'target', 'companies', 'persons', 'cases'] LOOP
        IF p_body ? f AND NOT f = ANY (allowed) THEN
            RAISE EXCEPTION 'this metric takes %', array_to_string(allowed, ' and ')
                USING ERRCODE = 'JF422', COLUMN = f;
        END IF;
    END LOOP;
    FOREACH f IN ARRAY allowed LOOP
        IF NOT p_body ? f OR jsonb_typeof(p_body -> f) <> 'number' THEN
            RAISE EXCEPTION 'is required' USING ERRCODE = 'JF422', COLUMN = f;
        END IF;
    END LOOP;
    IF cardinality(m.figures) = 1 THEN
        p_body := jsonb_build_object(m.figures[1], p_body -> p_single_key);
    END IF;
    v.companies := (p_body ->> 'companies')::int;
    v.persons := (p_body ->> 'persons')::int;
    v.cases := (p_body ->> 'cases')::int;
    RETURN v;
END;
$$;

CREATE OR REPLACE FUNCTION plan_metric_for_write(p_code text) RETURNS plan_metrics
LANGUAGE plpgsql STABLE AS $$
DECLARE
    m plan_metrics;
BEGIN
    SELECT * INTO m FROM plan_metrics WHERE code = p_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such metric' USING ERRCODE = 'JF404';
    END IF;
    RETURN m;
END;
$$;

-- Enters an actual for a year, or for one month of it (body: the figures,
-- optional month 1..12, sessions, note). A whole-year figure replaces the
-- year's months and a month replaces a whole-year figure, so the year's
-- actual is always one or the sum of the other; the audit keeps what was.
CREATE OR REPLACE FUNCTION api_metric_set_actual(p_user bigint, p_code text, p_fy int, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    m plan_metrics := plan_metric_for_write(p_code);
    v plan_figures;
    v_month smallint := coalesce((p_body ->> 'month')::smallint, 0);
    v_before jsonb;
BEGIN
    IF m.kind = 'counted' THEN
        RAISE EXCEPTION 'this metric is counted from the check-ins at % events', m.event_type
            USING ERRCODE = 'JF409';
    END IF;
    v := plan_figures_from_body(m, p_body, 'actual');
    SELECT jsonb_agg(to_jsonb(a) - 'metric_code' ORDER BY a.month) INTO v_before
    FROM plan_actuals a WHERE a.metric_code = p_code AND a.fiscal_year = p_fy;
    DELETE FROM plan_actuals
    WHERE metric_code = p_code AND fiscal_year = p_fy
      AND (month = v_month OR (v_month = 0) <> (month = 0));
    INSERT INTO plan_actuals (metric_code, fiscal_year, month, companies, persons, cases,
                              sessions, note, source, updated_by)
    VALUES (p_code, p_fy, v_month, v.companies, v.persons, v.cases,
            (p_body ->> 'sessions')::int, p_body ->> 'note', 'entered', p_user);
    PERFORM audit(p_user, 'set_actual', 'plan_metric', NULL,
                  jsonb_build_object('code', p_code, 'fiscal_year', p_fy, 'month', v_month,
                                     'value', p_body, 'before', v_before));
    RETURN report_metric(p_code);
END;
$$;

-- Sets the target of a fiscal year (body: "target", or the two figures).
CREATE OR REPLACE FUNCTION api_metric_set_target(p_user bigint, p_code text, p_fy int, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    m plan_metrics := plan_metric_for_write(p_code);
    v plan_figures := plan_figures_from_body(m, p_body, 'target');
    v_before jsonb;
BEGIN
    SELECT to_jsonb(t) - 'metric_code' INTO v_before
    FROM plan_targets t WHERE t.metric_code = p_code AND t.fiscal_year = p_fy;
    INSERT INTO plan_targets (metric_code, fiscal_year, companies, persons, cases, updated_by)
    VALUES (p_code, p_fy, v.companies, v.persons, v.cases, p_user)
    ON CONFLICT (metric_code, fiscal_year) DO UPDATE
        SET companies = EXCLUDED.companies, persons = EXCLUDED.persons,
            cases = EXCLUDED.cases, updated_by = p_user, updated_at = now();
    PERFORM audit(p_user, 'set_target', 'plan_metric', NULL,
                  jsonb_build_object('code', p_code, 'fiscal_year', p_fy,
                                     'value', p_body, 'before', v_before));
    RETURN report_metric(p_code);
END;
$$;
