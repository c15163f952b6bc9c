-- After the event: interviews at the booths and their outcomes, the plan's
-- target-vs-actual table (目標値一覧) as data, the reports PostgreSQL
-- computes, and the purge of job seekers' personal data.

-- One interview per job seeker and company. The nonce of the scan that
-- recorded it makes a retried request return the same answer.
CREATE TABLE interviews (
    id               bigserial PRIMARY KEY,
    event_id         bigint NOT NULL REFERENCES events (id),
    registration_id  bigint NOT NULL REFERENCES registrations (id),
    participation_id bigint NOT NULL REFERENCES participations (id),
    company_id       bigint NOT NULL REFERENCES companies (id),
    nonce            text UNIQUE CHECK (length(nonce) BETWEEN 8 AND 100),
    outcome          text NOT NULL DEFAULT 'pending' CHECK (outcome IN
        ('pending', 'offer', 'hired', 'declined', 'withdrawn')),
    outcome_date     date,
    created_by       bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       bigint REFERENCES users (id),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (registration_id, company_id),
    CONSTRAINT interviews_pending_undated CHECK (outcome <> 'pending' OR outcome_date IS NULL)
);
CREATE INDEX interviews_event ON interviews (event_id, company_id);

-- The reports count live check-ins by event: covering both subjects lets
-- them read the index alone.
CREATE INDEX checkins_event_live ON checkins (event_id) INCLUDE (registration_id, participation_id)
    WHERE undone_at IS NULL;

-- The plan's programmes (連携項目) and metrics (項目), in the plan's order
-- and wording. A metric carries one figure (件 cases or 人 persons) or two
-- (社・人 companies and persons, 人・件 persons and cases).
CREATE TABLE plan_programmes (
    code int PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE plan_metrics (
    code           text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,64}$'),
    programme_code int NOT NULL REFERENCES plan_programmes (code),
    sort_order     int NOT NULL UNIQUE,
    name           text NOT NULL,
    description    text,
    figures        text[] NOT NULL,
    unit           text NOT NULL,
    -- counted: from check-ins at the fiscal year's events of event_type;
    -- entered: Hello Work's own figures, typed in per year or month.
    kind           text NOT NULL CHECK (kind IN ('counted', 'entered')),
    event_type     text REFERENCES event_types (code),
    CONSTRAINT plan_metrics_unit CHECK ((figures, unit) IN (
        ('{cases}'::text[], '件'), ('{persons}'::text[], '人'),
        ('{companies,persons}'::text[], '社・人'), ('{persons,cases}'::text[], '人・件'))),
    CONSTRAINT plan_metrics_counted CHECK ((kind = 'counted') = (event_type IS NOT NULL)
        AND (kind = 'entered' OR NOT 'cases' = ANY (figures)))
);

-- A target per metric and fiscal year, in the metric's figures.
CREATE TABLE plan_targets (
    metric_code text NOT NULL REFERENCES plan_metrics (code),
    fiscal_year int NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2100),
    companies   int CHECK (companies >= 0),
    persons     int CHECK (persons >= 0),
    cases       int CHECK (cases >= 0),
    updated_by  bigint REFERENCES users (id),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (metric_code, fiscal_year)
);

-- Actuals as the plan gives them or as entered. month 0 is the whole
-- year, 1..12 a month of it; a year holds either one or the other. A row
-- whose figures are all NULL is a cell the plan leaves blank, which is
-- not the same as 0. sessions is the number of events (回) where known.
CREATE TABLE plan_actuals (
    metric_code text NOT NULL REFERENCES plan_metrics (code),
    fiscal_year int NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2100),
    month       smallint NOT NULL DEFAULT 0 CHECK (month BETWEEN 0 AND 12),
    companies   int CHECK (companies >= 0),
    persons     int CHECK (persons >= 0),
    cases       int CHECK (cases >= 0),
    sessions    int CHECK (sessions >= 0),
    note        text CHECK (length(note) <= 500),
    source      text NOT NULL CHECK (source IN ('plan', 'entered')),
    updated_by  bigint REFERENCES users (id),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (metric_code, fiscal_year, month)
);

INSERT INTO plan_programmes VALUES
    (1, '1 若者等に関する取組'),
    (2, '2 女性に関する取組'),
    (3, '3 高齢者に関する取組'),
    (4, '4 障がい者に関する取組'),
    (5, '5 福祉分野に関する取組'),
    (6, '6 生活保護受給者等に関する取組'),
    (7, '7 企業の人材確保に関する取組');

INSERT INTO plan_metrics (code, programme_code, sort_order, name, description,
                          figures, unit, kind, event_type) VALUES
    ('youth_regular_placements', 1, 1,
     '☆山口所の紹介による若年者の正社員就職件数',
     '35歳未満の求職者の正社員就職件数',
     '{cases}', '件', 'entered', NULL),
    ('new_graduate_placements', 1, 2,
     '☆「山口新卒応援ハローワーク」利用者の就職件数',
     '就職支援ナビゲーターの支援による正社員就職件数',
     '{cases}', '件', 'entered', NULL),
    ('mothers_corner_placements', 2, 3,
     '☆山口所の「マザーズコーナー」利用者の就職件数',
     NULL,
     '{cases}', '件', 'entered', NULL),
    ('reemployment_seminar_seekers', 2, 4,
     '☆「子育て女性等を対象とした再就職準備セミナー」の参加求職者数',
     '※年2回の開催によるもの (1回20人を目標)',
     '{persons}', '人', 'counted', 'reemployment_seminar'),
    ('senior_placements', 3, 5,
     '☆山口所の紹介による高齢者の就職件数',
     '55歳以上の求職者の就職件数',
     '{cases}', '件', 'entered', NULL),
    ('senior_seminar_seekers', 3, 6,
     '☆「アクティブシニア・セカンドライフ応援セミナー」の参加求職者数',
     '※年1回の開催によるもの ※令和6年度新規目標',
     '{persons}', '人', 'counted', 'senior_seminar'),
    ('senior_company_meeting', 3, 7,
     '☆「アクティブシニアのための企業面談会」の参加企業、参加求職者数',
     '※年1回の開催によるもの',
     '{companies,persons}', '社・人', 'counted', 'senior_company_meeting'),
    ('disability_placements', 4, 8,
     '☆山口所の紹介による障がい者の就職件数',
     NULL,
     '{cases}', '件', 'entered', NULL),
    ('disability_interview_fair', 4, 9,
     '☆「障がい者雇用合同面接会」の参加企業、参加求職者(障がい者)数',
     '※年1回の開催によるもの',
     '{companies,persons}', '社・人', 'counted', 'disability_interview_fair'),
    ('welfare_corner_placements', 5, 10,
     '☆山口所の「人材確保対策コーナー」における就職件数',
     '医療・介護・保育分野の就職件数',
     '{cases}', '件', 'entered', NULL),
    ('medical_welfare_fair', 5, 11,
     '☆「医療・福祉の合同就職面接会」の参加企業、参加求職者数',
     '※年1回の開催によるもの ※令和6年度新規目標',
     '{companies,persons}', '社・人', 'counted', 'medical_welfare_fair'),
    ('childcare_mini_interview_seekers', 5, 12,
     '☆「保育ミニ面接会」の参加求職者数',
     '※年1回の開催によるもの',
     '{persons}', '人', 'counted', 'childcare_mini_interview'),
    ('welfare_recipient_support', 6, 13,
     '☆山口所における生活保護受給者等就労自立促進事業の支援対象者、支援対象者のうち就職件数',
     '※支援対象者は市からの送り出し人数',
     '{persons,cases}', '人・件', 'entered', NULL),
    ('joint_interview_fair', 7, 14,
     '☆「合同就職面接会」の参加企業、参加求職者数',
     '※年1回の開催によるもの ※令和6年度新規目標',
     '{companies,persons}', '社・人', 'counted', 'joint_interview_fair');

-- 目標値 令和6年度, and 令和5年度 from the parentheses where the plan gives it.
INSERT INTO plan_targets (metric_code, fiscal_year, companies, persons, cases) VALUES
    ('youth_regular_placements', 2024, NULL, NULL, 389),
    ('new_graduate_placements', 2024, NULL, NULL, 626),
    ('new_graduate_placements', 2023, NULL, NULL, 666),
    ('mothers_corner_placements', 2024, NULL, NULL, 289),
    ('mothers_corner_placements', 2023, NULL, NULL, 279),
    ('reemployment_seminar_seekers', 2024, NULL, 40, NULL),
    ('reemployment_seminar_seekers', 2023, NULL, 40, NULL),
    ('senior_placements', 2024, NULL, NULL, 734),
    ('senior_placements', 2023, NULL, NULL, 730),
    ('senior_seminar_seekers', 2024, NULL, 50, NULL),
    ('senior_company_meeting', 2024, 15, 50, NULL),
    ('senior_company_meeting', 2023, 15, 50, NULL),
    ('disability_placements', 2024, NULL, NULL, 200),
    ('disability_placements', 2023, NULL, NULL, 168),
    ('disability_interview_fair', 2024, 30, 80, NULL),
    ('disability_interview_fair', 2023, 30, 100, NULL),
    ('welfare_corner_placements', 2024, NULL, NULL, 418),
    ('medical_welfare_fair', 2024, 8, 30, NULL),
    ('childcare_mini_interview_seekers', 2024, NULL, 10, NULL),
    ('childcare_mini_interview_seekers', 2023, NULL, 10, NULL),
    ('welfare_recipient_support', 2024, NULL, 120, 82),
    ('welfare_recipient_support', 2023, NULL, 120, 78),
    ('joint_interview_fair', 2024, 30, 100, NULL);

-- 実績 平成31年度(令和元年度)..令和5年度 as printed: "(0回)0人" is 0 persons
-- in 0 sessions; a blank cell is a row without figures.
INSERT INTO plan_actuals (metric_code, fiscal_year, companies, persons, cases, sessions, source) VALUES
    ('youth_regular_placements', 2019, NULL, NULL, 552, NULL, 'plan'),
    ('youth_regular_placements', 2020, NULL, NULL, 474, NULL, 'plan'),
    ('youth_regular_placements', 2021, NULL, NULL, 449, NULL, 'plan'),
    ('youth_regular_placements', 2022, NULL, NULL, 419, NULL, 'plan'),
    ('youth_regular_placements', 2023, NULL, NULL, 389, NULL, 'plan'),
    ('new_graduate_placements', 2019, NULL, NULL, 633, NULL, 'plan'),
    ('new_graduate_placements', 2020, NULL, NULL, 788, NULL, 'plan'),
    ('new_graduate_placements', 2021, NULL, NULL, 694, NULL, 'plan'),
    ('new_graduate_placements', 2022, NULL, NULL, 669, NULL, 'plan'),
    ('new_graduate_placements', 2023, NULL, NULL, 673, NULL, 'plan'),
    ('mothers_corner_placements', 2019, NULL, NULL, 286, NULL, 'plan'),
    ('mothers_corner_placements', 2020, NULL, NULL, 254, NULL, 'plan'),
    ('mothers_corner_placements', 2021, NULL, NULL, 264, NULL, 'plan'),
    ('mothers_corner_placements', 2022, NULL, NULL, 279, NULL, 'plan'),
    ('mothers_corner_placements', 2023, NULL, NULL, 289, NULL, 'plan'),
    ('reemployment_seminar_seekers', 2019, NULL, 34, NULL, NULL, 'plan'),
    ('reemployment_seminar_seekers', 2020, NULL, 0, NULL, 0, 'plan'),
    ('reemployment_seminar_seekers', 2021, NULL, 11, NULL, 1, 'plan'),
    ('reemployment_seminar_seekers', 2022, NULL, 22, NULL, NULL, 'plan'),
    ('reemployment_seminar_seekers', 2023, NULL, 28, NULL, NULL, 'plan'),
    ('senior_placements', 2019, NULL, NULL, 756, NULL, 'plan'),
    ('senior_placements', 2020, NULL, NULL, 706, NULL, 'plan'),
    ('senior_placements', 2021, NULL, NULL, 720, NULL, 'plan'),
    ('senior_placements', 2022, NULL, NULL, 730, NULL, 'plan'),
    ('senior_placements', 2023, NULL, NULL, 734, NULL, 'plan'),
    ('senior_seminar_seekers', 2019, NULL, NULL, NULL, NULL, 'plan'),
    ('senior_seminar_seekers', 2020, NULL, NULL, NULL, NULL, 'plan'),
    ('senior_seminar_seekers', 2021, NULL, NULL, NULL, NULL, 'plan'),
    ('senior_seminar_seekers', 2022, NULL, NULL, NULL, NULL, 'plan'),
    ('senior_seminar_seekers', 2023, NULL, 39, NULL, NULL, 'plan'),
    ('senior_company_meeting', 2019, 19, 40, NULL, NULL, 'plan'),
    ('senior_company_meeting', 2020, 12, 31, NULL, NULL, 'plan'),
    ('senior_company_meeting', 2021, 12, 26, NULL, NULL, 'plan'),
    ('senior_company_meeting', 2022, 6, 20, NULL, NULL, 'plan'),
    ('senior_company_meeting', 2023, 20, 29, NULL, NULL, 'plan'),
    ('disability_placements', 2019, NULL, NULL, 178, NULL, 'plan'),
    ('disability_placements', 2020, NULL, NULL, 152, NULL, 'plan'),
    ('disability_placements', 2021, NULL, NULL, 144, NULL, 'plan'),
    ('disability_placements', 2022, NULL, NULL, 168, NULL, 'plan'),
    ('disability_placements', 2023, NULL, NULL, 200, NULL, 'plan'),
    ('disability_interview_fair', 2019, 35, 95, NULL, NULL, 'plan'),
    ('disability_interview_fair', 2020, 0, 0, NULL, NULL, 'plan'),
    ('disability_interview_fair', 2021, 23, 51, NULL, NULL, 'plan'),
    ('disability_interview_fair', 2022, 24, 52, NULL, NULL, 'plan'),
    ('disability_interview_fair', 2023, 31, 69, NULL, NULL, 'plan'),
    ('welfare_corner_placements', 2019, NULL, NULL, 465, NULL, 'plan'),
    ('welfare_corner_placements', 2020, NULL, NULL, 412, NULL, 'plan'),
    ('welfare_corner_placements', 2021, NULL, NULL, 422, NULL, 'plan'),
    ('welfare_corner_placements', 2022, NULL, NULL, 377, NULL, 'plan'),
    ('welfare_corner_placements', 2023, NULL, NULL, 418, NULL, 'plan'),
    ('medical_welfare_fair', 2019, NULL, NULL, NULL, NULL, 'plan'),
    ('medical_welfare_fair', 2020, NULL, NULL, NULL, NULL, 'plan'),
    ('medical_welfare_fair', 2021, NULL, NULL, NULL, NULL, 'plan'),
    ('medical_welfare_fair', 2022, NULL, NULL, NULL, NULL, 'plan'),
    ('medical_welfare_fair', 2023, 6, 21, NULL, NULL, 'plan'),
    ('childcare_mini_interview_seekers', 2019, NULL, 4, NULL, NULL, 'plan'),
    ('childcare_mini_interview_seekers', 2020, NULL, 7, NULL, NULL, 'plan'),
    ('childcare_mini_interview_seekers', 2021, NULL, 0, NULL, 0, 'plan'),
    ('childcare_mini_interview_seekers', 2022, NULL, 7, NULL, NULL, 'plan'),
    ('childcare_mini_interview_seekers', 2023, NULL, 6, NULL, NULL, 'plan'),
    ('welfare_recipient_support', 2019, NULL, 163, 126, NULL, 'plan'),
    ('welfare_recipient_support', 2020, NULL, 166, 116, NULL, 'plan'),
    ('welfare_recipient_support', 2021, NULL, 148, 112, NULL, 'plan'),
    ('welfare_recipient_support', 2022, NULL, 151, 110, NULL, 'plan'),
    ('welfare_recipient_support', 2023, NULL, 121, 92, NULL, 'plan'),
    ('joint_interview_fair', 2019, NULL, NULL, NULL, NULL, 'plan'),
    ('joint_interview_fair', 2020, NULL, NULL, NULL, NULL, 'plan'),
    ('joint_interview_fair', 2021, NULL, NULL, NULL, NULL, 'plan'),
    ('joint_interview_fair', 2022, NULL, NULL, NULL, NULL, 'plan'),
    ('joint_interview_fair', 2023, NULL, NULL, NULL, NULL, 'plan');

-- The figures of one cell: a target, an actual or a count.
CREATE TYPE plan_figures AS (
    companies int,
    persons   int,
    cases     int,
    sessions  int,
    note      text
);

-- Every metric's actual in fiscal years p_from..p_to (or one metric's):
-- what is stored (the plan's figures, or entered ones summed over their
-- months) wins; a counted metric otherwise counts booths and job seekers
-- with a live check-in at that year's events of its type, each event on
-- its own (延べ, as the plan counts two seminars of 20 as 40), with the
-- events held as sessions; NULL when neither applies. One set-based
-- query, so a report aggregates each year's check-ins once.
CREATE FUNCTION plan_cells(p_from int, p_to int, p_metric text DEFAULT NULL)
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

CREATE FUNCTION plan_figure(p_name text, v plan_figures) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_name WHEN 'companies' THEN v.companies
                       WHEN 'persons' THEN v.persons
                       WHEN 'cases' THEN v.cases END;
$$;

-- A cell as clients read it: a number for a one-figure metric, else an
-- object in the metric's figure order ({companies, persons} or
-- {persons, cases}); NULL for a blank cell.
CREATE FUNCTION plan_value_json(p_figures text[], v plan_figures) RETURNS json
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN v IS NULL OR num_nonnulls(v.companies, v.persons, v.cases) = 0 THEN NULL
        WHEN cardinality(p_figures) = 1 THEN to_json(plan_figure(p_figures[1], v))
        ELSE json_build_object(p_figures[1], plan_figure(p_figures[1], v),
                               p_figures[2], plan_figure(p_figures[2], v))
    END;
$$;

-- Achievement in percent, rounded half up to one decimal (numeric
-- arithmetic, so 1 of 16 is 6.3, not a binary 6.25 rounded down); NULL
-- without an actual or a positive target.
CREATE FUNCTION report_percent(p_actual bigint, p_target bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_actual IS NOT NULL AND p_target > 0
                THEN round(p_actual::numeric * 100 / p_target, 1) END;
$$;

CREATE FUNCTION plan_achievement_json(p_figures text[], a plan_figures, t plan_figures)
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

CREATE FUNCTION plan_target_figures(t plan_targets) RETURNS plan_figures
LANGUAGE sql IMMUTABLE AS $$
    SELECT (t.companies, t.persons, t.cases, NULL, NULL)::plan_figures;
$$;

-- The metric catalogue entry every metric answer starts with.
CREATE FUNCTION plan_metric_json(m plan_metrics) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'code', m.code, 'programme', g.name, 'metric', m.name,
        'description', m.description, 'unit', m.unit, 'figures', m.figures,
        'kind', m.kind, 'event_type', m.event_type)
    FROM plan_programmes g WHERE g.code = m.programme_code;
$$;

-- The 目標値一覧 of fiscal year p_fy: each metric with the five previous
-- years' actuals, this year's target (and last year's), the actual so far
-- and the achievement.
CREATE FUNCTION report_fiscal_year(p_fy int) RETURNS json
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
CREATE FUNCTION report_metric(p_metric text) RETURNS json
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

-- The figures a write gives, checked against the metric: a one-figure
-- metric takes `single_key` ("actual" or "target"), a two-figure one its
-- two figure names. Raises JF422 naming the field.
CREATE FUNCTION plan_figures_from_body(m plan_metrics, p_body jsonb, p_single_key text)
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

CREATE FUNCTION plan_metric_for_write(p_code text) RETURNS plan_metrics
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
CREATE FUNCTION api_metric_set_actual(p_user bigint, p_code text, p_fy int, p_body jsonb)
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
CREATE FUNCTION api_metric_set_target(p_user bigint, p_code text, p_fy int, p_body jsonb)
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

-- The post-event report: counts only, no personal data. Present means a
-- live check-in (walk-ins included); supporters are those accompanying
-- present job seekers; an offer counts every offer made, hires included.
CREATE FUNCTION report_event(p_event bigint) RETURNS json
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
                FROM unnest(ARRAY['youth', 'senior', 'disability', 'parenting', 'welfare',
                                  'single_parent']) WITH ORDINALITY AS cat (k, o)),
            'by_age_band', (
                SELECT json_object_agg(k, json_build_object(
                           'registered', (SELECT count(*) FROM reg
                                          WHERE status = 'registered'
                                            AND coalesce(age_band, 'unknown') = k),
                           'present', (SELECT count(*) FROM reg
                                       WHERE present AND coalesce(age_band, 'unknown') = k))
                           ORDER BY o)
                FROM unnest(ARRAY['under_35', '35_54', '55_64', '65_plus', 'unknown'])
                     WITH ORDINALITY AS band (k, o))),
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

-- The interview answer a booth sees.
CREATE FUNCTION interview_json(i interviews) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', i.id, 'event_id', i.event_id, 'registration_id', i.registration_id,
        'company_id', i.company_id, 'company_name', c.name, 'booth', p.booth,
        'outcome', i.outcome, 'outcome_date', i.outcome_date,
        'created_at', rfc3339_jst(i.created_at), 'updated_at', rfc3339_jst(i.updated_at))
    FROM companies c, participations p
    WHERE c.id = i.company_id AND p.id = i.participation_id;
$$;

-- The registration a token or id names, checked against the event; the
-- error names whichever field the caller used.
CREATE FUNCTION interview_registration(p_event bigint, p_row jsonb, p_prefix text DEFAULT '')
RETURNS registrations LANGUAGE plpgsql STABLE AS $$
DECLARE
    r registrations;
    v_field text := p_prefix || CASE WHEN p_row ? 'token' THEN 'token' ELSE 'registration_id' END;
BEGIN
    IF p_row ? 'token' THEN
        SELECT * INTO r FROM registrations WHERE checkin_token = p_row ->> 'token';
    ELSE
        SELECT * INTO r FROM registrations WHERE id = (p_row ->> 'registration_id')::bigint;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such job seeker' USING ERRCODE = 'JF404', COLUMN = v_field;
    ELSIF r.event_id <> p_event THEN
        RAISE EXCEPTION 'is registered for another event' USING ERRCODE = 'JF409', COLUMN = v_field;
    ELSIF r.status = 'cancelled' THEN
        RAISE EXCEPTION 'registration is cancelled' USING ERRCODE = 'JF409', COLUMN = v_field;
    END IF;
    RETURN r;
END;
$$;

-- The company's booth at the event, by company_id or corporate_number.
CREATE FUNCTION interview_participation(p_event bigint, p_row jsonb, p_prefix text DEFAULT '')
RETURNS participations LANGUAGE plpgsql STABLE AS $$
DECLARE
    p participations;
    v_field text := p_prefix || CASE WHEN p_row ? 'corporate_number' THEN 'corporate_number'
                                     ELSE 'company_id' END;
BEGIN
    SELECT pa.* INTO p
    FROM participations pa JOIN companies c ON c.id = pa.company_id
    WHERE pa.event_id = p_event
      AND CASE WHEN p_row ? 'corporate_number'
               THEN c.corporate_number = p_row ->> 'corporate_number'
               ELSE c.id = (p_row ->> 'company_id')::bigint END;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'company has no booth at this event' USING ERRCODE = 'JF422', COLUMN = v_field;
    ELSIF p.status = 'cancelled' THEN
        RAISE EXCEPTION 'company cancelled its booth' USING ERRCODE = 'JF409', COLUMN = v_field;
    END IF;
    RETURN p;
END;
$$;

-- Records an interview scanned at a booth. A retry with the same nonce
-- gets the same answer; a second scan of the same job seeker at the same
-- booth answers with the interview already there. Returns the HTTP
-- status and the answer.
CREATE FUNCTION api_interview_record(p_user bigint, p_event bigint, p_body jsonb,
                                     OUT status int, OUT answer json)
LANGUAGE plpgsql AS $$
DECLARE
    i interviews;
    r registrations;
    p participations;
BEGIN
    SELECT iv.* INTO i FROM interviews iv WHERE iv.nonce = p_body ->> 'nonce';
    IF FOUND THEN
        SELECT * INTO r FROM registrations WHERE id = i.registration_id;
        IF i.event_id <> p_event OR i.company_id <> (p_body ->> 'company_id')::bigint
           OR NOT (r.id IS NOT DISTINCT FROM (p_body ->> 'registration_id')::bigint
                   OR r.checkin_token IS NOT DISTINCT FROM p_body ->> 'token') THEN
            RAISE EXCEPTION 'nonce was used for another interview'
                USING ERRCODE = 'JF409', COLUMN = 'nonce';
        END IF;
        status := 201;
        answer := json_build_object('result', 'recorded', 'interview', interview_json(i));
        RETURN;
    END IF;
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    r := interview_registration(p_event, p_body);
    p := interview_participation(p_event, p_body);
    INSERT INTO interviews (event_id, registration_id, participation_id, company_id, nonce,
                            created_by, updated_by)
    VALUES (p_event, r.id, p.id, p.company_id, p_body ->> 'nonce', p_user, p_user)
    ON CONFLICT DO NOTHING
    RETURNING * INTO i;
    IF FOUND THEN
        PERFORM audit(p_user, 'create', 'interview', i.id,
                      jsonb_build_object('event_id', p_event, 'registration_id', r.id,
                                         'company_id', p.company_id));
        status := 201;
        answer := json_build_object('result', 'recorded', 'interview', interview_json(i));
        RETURN;
    END IF;
    -- Lost a race: either the same scan retried at once (same nonce) or
    -- another desk recorded this job seeker at this booth.
    SELECT * INTO i FROM interviews WHERE registration_id = r.id AND company_id = p.company_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'nonce was used for another interview'
            USING ERRCODE = 'JF409', COLUMN = 'nonce';
    END IF;
    status := CASE WHEN i.nonce = p_body ->> 'nonce' THEN 201 ELSE 200 END;
    answer := json_build_object('result', CASE WHEN status = 201 THEN 'recorded'
                                               ELSE 'already_recorded' END,
                                'interview', interview_json(i));
END;
$$;

-- The date of an outcome: pending has none; any other outcome takes the
-- date given, else the one it had, else today in Japan. A date before
-- the event, or one given for pending, is refused under p_field.
CREATE FUNCTION interview_outcome_date(i interviews, p_outcome text, p_row jsonb, p_field text)
RETURNS date LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_date date;
BEGIN
    IF p_outcome = 'pending' THEN
        IF p_row ->> 'outcome_date' IS NOT NULL THEN
            RAISE EXCEPTION 'a pending interview has no outcome date'
                USING ERRCODE = 'JF422', COLUMN = p_field;
        END IF;
        RETURN NULL;
    END IF;
    v_date := coalesce((p_row ->> 'outcome_date')::date, i.outcome_date,
                       (now() AT TIME ZONE 'Asia/Tokyo')::date);
    IF v_date < (SELECT (starts_at AT TIME ZONE 'Asia/Tokyo')::date FROM events WHERE id = i.event_id) THEN
        RAISE EXCEPTION 'is before the event' USING ERRCODE = 'JF422', COLUMN = p_field;
    END IF;
    RETURN v_date;
END;
$$;

-- Follow-up on one interview: {outcome, outcome_date}.
CREATE FUNCTION api_interview_update(p_user bigint, p_id bigint, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    i interviews;
    v_outcome text;
    v_date date;
BEGIN
    SELECT * INTO i FROM interviews WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such interview' USING ERRCODE = 'JF404';
    END IF;
    IF NOT (p_body ? 'outcome' OR p_body ? 'outcome_date') THEN
        RAISE EXCEPTION 'give outcome or outcome_date' USING ERRCODE = 'JF422', COLUMN = 'outcome';
    END IF;
    v_outcome := coalesce(p_body ->> 'outcome', i.outcome);
    v_date := interview_outcome_date(i, v_outcome, p_body, 'outcome_date');
    UPDATE interviews SET outcome = v_outcome, outcome_date = v_date,
                          updated_by = p_user, updated_at = now()
    WHERE id = p_id RETURNING * INTO i;
    PERFORM audit(p_user, 'update', 'interview', p_id, p_body);
    RETURN interview_json(i);
END;
$$;

-- The outcomes a company sends back, all or nothing: every row is checked
-- first and every problem reported as {"errors": {"rows[N].field": why}}
-- with nothing written; else each row sets the outcome of that job
-- seeker's interview with that company, recording the interview if no
-- booth scanned it.
CREATE FUNCTION api_outcomes_import(p_user bigint, p_event bigint, p_body jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    v_row jsonb;
    v_n int := 0;
    v_prefix text;
    v_errors jsonb := '{}';
    v_seen jsonb := '{}';
    v_key text;
    r registrations;
    p participations;
    i interviews;
    v_regs bigint[] := '{}';
    v_parts bigint[] := '{}';
    v_companies bigint[] := '{}';
    v_outcomes text[] := '{}';
    v_dates date[] := '{}';
    v_created int;
    v_updated int;
BEGIN
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    FOR v_row IN SELECT x FROM jsonb_array_elements(p_body -> 'rows') AS x LOOP
        v_prefix := format('rows[%s].', v_n);
        BEGIN
            r := interview_registration(p_event, v_row, v_prefix);
            p := interview_participation(p_event, v_row, v_prefix);
            v_key := r.id || '/' || p.company_id;
            IF v_seen ? v_key THEN
                RAISE EXCEPTION 'repeats row %', v_seen ->> v_key
                    USING ERRCODE = 'JF422', COLUMN = v_prefix || 'outcome';
            END IF;
            v_seen := v_seen || jsonb_build_object(v_key, v_n);
            SELECT * INTO i FROM interviews WHERE registration_id = r.id AND company_id = p.company_id;
            IF NOT FOUND THEN
                i.event_id := p_event;
            END IF;
            v_regs := v_regs || r.id;
            v_parts := v_parts || p.id;
            v_companies := v_companies || p.company_id;
            v_outcomes := v_outcomes || (v_row ->> 'outcome');
            v_dates := v_dates || interview_outcome_date(i, v_row ->> 'outcome', v_row,
                                                         v_prefix || 'outcome_date');
        EXCEPTION WHEN SQLSTATE 'JF404' OR SQLSTATE 'JF409' OR SQLSTATE 'JF422' THEN
            DECLARE
                v_column text;
                v_message text;
            BEGIN
                GET STACKED DIAGNOSTICS v_column = COLUMN_NAME, v_message = MESSAGE_TEXT;
                v_errors := v_errors || jsonb_build_object(v_column, v_message);
            END;
        END;
        v_n := v_n + 1;
    END LOOP;
    IF v_errors <> '{}' THEN
        RETURN json_build_object('errors', v_errors);
    END IF;
    WITH up AS (
        INSERT INTO interviews (event_id, registration_id, participation_id, company_id,
                                outcome, outcome_date, created_by, updated_by)
        SELECT p_event, u.reg, u.part, u.company, u.outcome, u.day, p_user, p_user
        FROM unnest(v_regs, v_parts, v_companies, v_outcomes, v_dates)
             AS u (reg, part, company, outcome, day)
        ON CONFLICT (registration_id, company_id) DO UPDATE
            SET outcome = EXCLUDED.outcome, outcome_date = EXCLUDED.outcome_date,
                updated_by = p_user, updated_at = now()
        RETURNING id, xmax = 0 AS created, outcome, outcome_date),
    logged AS (
        INSERT INTO audit_log (user_id, action, object_type, object_id, detail)
        SELECT p_user, 'import_outcome', 'interview', up.id,
               jsonb_build_object('outcome', up.outcome, 'outcome_date', up.outcome_date,
                                  'created', up.created)
        FROM up)
    SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
    INTO v_created, v_updated FROM up;
    RETURN json_build_object('rows', v_n, 'created', v_created, 'updated', v_updated);
END;
$$;

-- The event's interviews for the organizers' follow-up, with the job
-- seekers' names: a read of personal data, so audited by interview id.
CREATE FUNCTION api_interviews_list(p_user bigint, p_event bigint, q jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    items json[];
    ids bigint[];
BEGIN
    PERFORM 1 FROM events WHERE id = p_event;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such event' USING ERRCODE = 'JF404';
    END IF;
    SELECT array_agg(j ORDER BY id), array_agg(id ORDER BY id) INTO items, ids
    FROM (SELECT i.id, json_build_object(
                     'id', i.id, 'registration_id', i.registration_id,
                     'name', r.name, 'name_kana', r.name_kana,
                     'company_id', i.company_id, 'company_name', c.name,
                     'outcome', i.outcome, 'outcome_date', i.outcome_date,
                     'created_at', rfc3339_jst(i.created_at)) AS j
          FROM interviews i
          JOIN registrations r ON r.id = i.registration_id
          JOIN companies c ON c.id = i.company_id
          WHERE i.event_id = p_event AND i.id > page_after(q)
            AND (NOT q ? 'company_id' OR i.company_id = (q ->> 'company_id')::bigint)
            AND (NOT q ? 'outcome' OR i.outcome = q ->> 'outcome')
          ORDER BY i.id LIMIT page_limit(q) + 1) AS page;
    PERFORM audit(p_user, 'list', 'event_interviews', p_event,
                  jsonb_build_object('ids', coalesce(to_jsonb(ids[1:page_limit(q)]), '[]')));
    RETURN page_json(items, ids, page_limit(q));
END;
$$;

-- Retention: removes job seekers' personal data from registrations for
-- events of fiscal years before p_before, keeping what reports count
-- (categories, age band, supporters, attendance, interviews, outcomes).
-- The 手帳 type and the accommodations asked for are sensitive and no
-- report counts them, so they go too, as do the names the check-in desks
-- were answered with in the scan log.
CREATE FUNCTION api_seekers_purge(p_user bigint, p_before int) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_n int;
BEGIN
    IF p_before > fiscal_year(now()) THEN
        RAISE EXCEPTION 'must not be after the current fiscal year'
            USING ERRCODE = 'JF422', COLUMN = 'before_fiscal_year';
    END IF;
    UPDATE registrations r
    SET name = NULL, name_kana = NULL, phone = NULL, email = NULL, birth_date = NULL,
        age = NULL, disability_handbook = NULL, accommodations = '{}',
        accommodation_note = NULL, person_key = NULL, search_key = NULL,
        purged_at = now(), updated_at = now()
    FROM events e
    WHERE e.id = r.event_id AND e.fiscal_year < p_before AND r.purged_at IS NULL;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    UPDATE scans s SET response = s.response - '{name,name_kana}'::text[]
    FROM events e
    WHERE e.id = s.event_id AND e.fiscal_year < p_before
      AND s.response ?| '{name,name_kana}'::text[];
    PERFORM audit(p_user, 'purge', 'registration', NULL,
                  jsonb_build_object('before_fiscal_year', p_before, 'purged', v_n));
    RETURN json_build_object('before_fiscal_year', p_before, 'purged', v_n);
END;
$$;
