-- The purge of seekers' personal data keeps both reports byte-identical:
-- categories, age bands, attendance, interviews and outcomes stay.
\ir fixture.psql
SELECT pg_temp.t_event(NULL, '2023-06-14') AS ev \gset
SELECT pg_temp.t_event(NULL, '2024-06-14') AS later \gset
CREATE TEMP TABLE toks AS
    SELECT i, pg_temp.t_seeker(:ev, 'サンカ' || repeat('ア', i),
                               ARRAY[(ARRAY['youth','senior','disability','parenting'])[i % 4 + 1]]) AS tok
    FROM generate_series(1, 8) i;
SELECT pg_temp.t_booth(:ev, '株式会社イチ') AS btok \gset
SELECT pg_temp.t_seeker(:later, 'アト') AS later_tok \gset
SELECT pg_temp.t_scan(:ev, tok, 'purge-nonce-' || i) IS NOT NULL FROM toks WHERE i <= 6;
SELECT pg_temp.t_scan(:ev, :'btok', 'purge-nonce-booth') IS NOT NULL;
INSERT INTO interviews (event_id, registration_id, participation_id, company_id, outcome, outcome_date)
SELECT :ev, r.id, p.id, p.company_id, o, '2023-07-01'
FROM registrations r, participations p, (VALUES (1, 'hired'), (2, 'offer')) v(i, o)
WHERE r.event_id = :ev AND r.name_kana = 'サンカ' || repeat('ア', v.i) AND p.event_id = :ev;
SELECT report_event(:ev)::text AS ev_report, report_fiscal_year(2023)::text AS fy_report,
       report_event(:later)::text AS later_report \gset
SELECT plan(6);

SELECT is((api_seekers_purge(1, 2024)->>'purged')::int, 8, 'eight seekers purged');
SELECT is(report_event(:ev)::text, :'ev_report', 'the event report is byte-identical');
SELECT is(report_fiscal_year(2023)::text, :'fy_report', 'the fiscal-year report is byte-identical');
SELECT is((SELECT count(*) FROM registrations WHERE event_id = :ev
           AND (name IS NOT NULL OR name_kana IS NOT NULL OR person_key IS NOT NULL)),
          0::bigint, 'no name is left');
SELECT is((SELECT count(*) FROM scans WHERE event_id = :ev AND response ? 'name'), 0::bigint,
          'nor in the answers the desks got');
SELECT is(report_event(:later)::text, :'later_report', 'a later year untouched');
SELECT * FROM finish();
