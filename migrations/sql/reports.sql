-- Reports: one event, one fiscal year, one metric across years.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- Achievement in percent, rounded half up to one decimal (numeric
-- arithmetic, so 1 of 16 is 6.3, not a binary 6.25 rounded down); NULL
-- without an actual or a positive target.
CREATE OR REPLACE FUNCTION report_percent(p_actual bigint, p_target bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_actual IS NOT NULL AND p_target > 0
                THEN round(p_actual::numeric * 100 / p_target, 1) END;
$$;

-- The 目標値一覧 of fiscal year p_fy: each metric with the five previous
-- years' actuals, this year's target (and last year's), the actual so far
-- and the achievement.
CREATE OR REPLACE FUNCTION report_fiscal_year(p_fy int) RETURNS json
LANGUAGE sql STABLE AS $$
    WITH cells AS (SELECT * FROM plan_cells(p_fy - 5, p_fy)),
    years AS (
        SELECT c.metric_code,
               json_object_agg(c.fiscal_year::text, plan_value_json(m.figures, c.cell)
                               ORDER BY c.fiscal_year)
                   FILTER (WHERE c.fiscal_year < p_fy) AS actuals,
               coalesce(json_object_agg(c.fiscal_year::text, (c.cell).sessions ORDER BY c.fiscal_year)
                            FILTER (WHERE c.fiscal_year < p_fy AND (c.cell).sessions IS NOT NULL),
                        '{}') AS sessions,
               (array_agg(c.cell) FILTER (WHERE c.fiscal_year = p_fy))[1] AS cur
        FROM cells c JOIN plan_metrics m ON m.code = c.metric_code
        GROUP BY c.metric_code)
    SELECT json_build_object(
        'fiscal_year', p_fy,
        'fiscal_year_label', fiscal_year_label(p_fy),
        'previous_years', (
            SELECT json_agg(json_build_object('fiscal_year', y, 'label', fiscal_year_label(y))
                            ORDER BY y)
            FROM generate_series(p_fy - 5, p_fy - 1) AS y),
        'rows', (
            SELECT json_agg(json_build_object(
                       'code', m.code, 'programme', g.name, 'metric', m.name,
                       'description', m.description, 'unit', m.unit,
                       'figures', m.figures, 'kind', m.kind,
                       'actuals', y.actuals, 'sessions', y.sessions,
                       'target', plan_value_json(m.figures, plan_target_figures(t)),
                       'previous_target', plan_value_json(m.figures, plan_target_figures(pt)),
                       'actual', plan_value_json(m.figures, y.cur),
                       'actual_sessions', (y.cur).sessions,
                       'achievement', plan_achievement_json(m.figures, y.cur, plan_target_figures(t)))
                   ORDER BY m.sort_order)
            FROM plan_metrics m
            JOIN plan_programmes g ON g.code = m.programme_code
            JOIN years y ON y.metric_code = m.code
            LEFT JOIN plan_targets t ON t.metric_code = m.code AND t.fiscal_year = p_fy
            LEFT JOIN plan_targets pt ON pt.metric_code = m.code AND pt.fiscal_year = p_fy - 1));
$$;

-- One metric with every year that has a target, an actual or events,
-- months included, for `jobfair metrics show`.
CREATE OR REPLACE FUNCTION report_metric(p_metric text) RETURNS json
LANGUAGE sql STABLE AS $$
    WITH known AS (
        SELECT fiscal_year FROM plan_targets WHERE metric_code = p_metric
        UNION
        SELECT fiscal_year FROM plan_actuals WHERE metric_code = p_metric
        UNION
        SELECT e.fiscal_year FROM events e
        WHERE e.type = (SELECT event_type FROM plan_metrics WHERE code = p_metric)),
    cells AS (
        SELECT c.* FROM plan_cells((SELECT min(fiscal_year) FROM known),
                                   (SELECT max(fiscal_year) FROM known), p_metric) AS c
        WHERE c.fiscal_year IN (SELECT fiscal_year FROM known))
    SELECT json_build_object(
        'metric', plan_metric_json(m),
        'years', coalesce((
            SELECT json_agg(json_build_object(
                       'fiscal_year', c.fiscal_year, 'label', fiscal_year_label(c.fiscal_year),
                       'target', plan_value_json(m.figures, plan_target_figures(t)),
                       'actual', plan_value_json(m.figures, c.cell),
                       'sessions', (c.cell).sessions, 'note', (c.cell).note,
                       'months', (
                           SELECT coalesce(json_object_agg(x.month, plan_value_json(m.figures,
                                      (x.companies, x.persons, x.cases, x.sessions, x.note)::plan_figures)
                                      ORDER BY (x.month + 8) % 12), '{}')
                           FROM plan_actuals x
                           WHERE x.metric_code = p_metric AND x.fiscal_year = c.fiscal_year
                             AND x.month > 0))
                   ORDER BY c.fiscal_year)
            FROM cells c
            LEFT JOIN plan_targets t ON t.metric_code = p_metric AND t.fiscal_year = c.fiscal_year),
            '[]'))
    FROM plan_metrics m WHERE m.code = p_metric;
$$;

-- The post-event report: counts only, no personal data. Present means a
-- live check-in (walk-ins included); supporters are those accompanying
-- present job seekers; an offer counts every offer made, hires included.
CREATE OR REPLACE FUNCTION report_event(p_event bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    WITH e AS (SELECT * FROM events WHERE id = p_event),
    seen AS (
        SELECT DISTINCT registration_id FROM checkins
        WHERE event_id = p_event AND undone_at IS NULL AND registration_id IS NOT NULL),
    reg AS (
        SELECT r.status, r.walk_in, r.categories, r.age_band, r.supporters,
               s.registration_id IS NOT NULL AS present
        FROM registrations r LEFT JOIN seen s ON s.registration_id = r.id
        WHERE r.event_id = p_event),
    booth AS (
        SELECT p.company_id, p.status, c.name,
               EXISTS (SELECT 1 FROM checkins k
                       WHERE k.event_id = p_event AND k.participation_id = p.id
                         AND k.undone_at IS NULL) AS present
        FROM participations p JOIN companies c ON c.id = p.company_id
        WHERE p.event_id = p_event),
    iv AS (SELECT * FROM interviews WHERE event_id = p_event),
    sk AS (
        SELECT count(*) FILTER (WHERE status = 'registered' AND NOT walk_in) AS preregistered,
               count(*) FILTER (WHERE status = 'registered' AND walk_in) AS walk_ins,
               count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
               count(*) FILTER (WHERE present) AS present,
               count(*) FILTER (WHERE status = 'registered' AND NOT walk_in AND NOT present) AS no_shows,
               coalesce(sum(supporters) FILTER (WHERE present), 0) AS supporters
        FROM reg),
    co AS (
        SELECT count(*) FILTER (WHERE status <> 'cancelled') AS registered,
               count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
               count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
               count(*) FILTER (WHERE present) AS present
        FROM booth)
    SELECT json_build_object(
        'event', json_build_object(
            'id', e.id, 'type', e.type,
            'type_name', (SELECT name_ja FROM event_types WHERE code = e.type),
            'title', e.title,
            'starts_at', rfc3339_jst(e.starts_at),
            'fiscal_year', e.fiscal_year, 'fiscal_year_label', fiscal_year_label(e.fiscal_year)),
        'companies', json_build_object(
            'registered', co.registered, 'confirmed', co.confirmed, 'cancelled', co.cancelled,
            'present', co.present, 'target', e.target_companies,
            'achievement', report_percent(co.present, e.target_companies)),
        'seekers', json_build_object(
            'preregistered', sk.preregistered, 'walk_ins', sk.walk_ins,
            'cancelled', sk.cancelled, 'present', sk.present, 'no_shows', sk.no_shows,
            'target', e.target_seekers,
            'achievement', report_percent(sk.present, e.target_seekers),
            'by_category', (
                SELECT json_object_agg(k, json_build_object(
                           'registered', (SELECT count(*) FROM reg
                                          WHERE status = 'registered' AND k = ANY (categories)),
                           'present', (SELECT count(*) FROM reg
                                       WHERE present AND k = ANY (categories)))
                           ORDER BY o)
                FROM (SELECT code, sort_order FROM seeker_categories) AS cat (k, o)),
            'by_age_band', (
                SELECT json_object_agg(k, json_build_object(
                           'registered', (SELECT count(*) FROM reg
                                          WHERE status = 'registered'
                                            AND coalesce(age_band, 'unknown') = k),
                           'present', (SELECT count(*) FROM reg
                                       WHERE present AND coalesce(age_band, 'unknown') = k))
                           ORDER BY o)
                FROM (SELECT code, sort_order FROM age_bands
                      UNION ALL SELECT 'unknown', 1 + max(sort_order) FROM age_bands)
                     AS band (k, o))),
        'supporters', sk.supporters,
        'interviews', json_build_object(
            'total', (SELECT count(*) FROM iv),
            'seekers_interviewed', (SELECT count(DISTINCT registration_id) FROM iv),
            'per_seeker', CASE WHEN sk.present > 0
                               THEN round((SELECT count(*) FROM iv)::numeric / sk.present, 2) END,
            'by_company', (
                SELECT coalesce(json_agg(json_build_object(
                           'company_id', b.company_id, 'name', b.name, 'count', b.n)
                           ORDER BY b.n DESC, b.company_id), '[]')
                FROM (SELECT booth.company_id, booth.name,
                             (SELECT count(*) FROM iv WHERE iv.company_id = booth.company_id) AS n
                      FROM booth WHERE booth.status <> 'cancelled'
                         OR EXISTS (SELECT 1 FROM iv WHERE iv.company_id = booth.company_id)) AS b)),
        'outcomes', (
            SELECT json_build_object(
                'pending', count(*) FILTER (WHERE outcome = 'pending'),
                'offers', count(*) FILTER (WHERE outcome IN ('offer', 'hired')),
                'hires', count(*) FILTER (WHERE outcome = 'hired'),
                'declined', count(*) FILTER (WHERE outcome = 'declined'),
                'withdrawn', count(*) FILTER (WHERE outcome = 'withdrawn'))
            FROM iv))
    FROM e, sk, co;
$$;
