-- Ten fiscal years of the programme for the report benchmark: 200
-- events (FY2015-2024), 300 companies, 400,000 registrations, 280,000
-- check-ins and about 260,000 interviews with outcomes.
\set ON_ERROR_STOP on
ALTER TABLE registrations DISABLE TRIGGER registrations_count;

INSERT INTO companies (name, name_kana, industry)
SELECT '株式会社ベンチ' || i, 'ベンチ', '製造業' FROM generate_series(1, 300) AS i;

INSERT INTO events (type, title, starts_at, ends_at, venue, capacity,
                    target_companies, target_seekers, organizer, status)
SELECT t.code, t.name_ja || ' ' || fy || '-' || k,
       make_timestamptz(fy, 5, 1, 10, 0, 0, 'Asia/Tokyo') + (k * 14 || ' days')::interval,
       make_timestamptz(fy, 5, 1, 16, 0, 0, 'Asia/Tokyo') + (k * 14 || ' days')::interval,
       '山口市産業交流拠点施設', 5000,
       CASE WHEN t.has_companies THEN 20 END, 1500, 'joint', 'closed'
FROM generate_series(2015, 2024) AS fy, generate_series(1, 20) AS k
JOIN LATERAL (SELECT code, name_ja, has_companies FROM event_types
              ORDER BY sort_order OFFSET k % 8 LIMIT 1) AS t ON true;

INSERT INTO participations (event_id, company_id, status, booth, representatives)
SELECT e.id, 1 + (e.id * 7 + j) % 300, 'confirmed', 'B' || j, 2
FROM events e JOIN event_types t ON t.code = e.type AND t.has_companies,
     generate_series(1, 20) AS j;

INSERT INTO registrations (event_id, name, name_kana, age, age_band, categories,
                           consent_at, status, walk_in, supporters, person_key)
SELECT e.id, '求職者', 'キュウショクシャ', a.age,
       CASE WHEN a.age < 35 THEN 'under_35' WHEN a.age < 55 THEN '35_54'
            WHEN a.age < 65 THEN '55_64' ELSE '65_plus' END,
       CASE i % 9 WHEN 0 THEN ARRAY['disability'] WHEN 1 THEN ARRAY['senior']
                  WHEN 2 THEN ARRAY['youth', 'parenting'] WHEN 3 THEN ARRAY['welfare']
                  ELSE ARRAY['youth'] END,
       e.starts_at - interval '10 days',
       CASE WHEN i % 50 = 0 THEN 'cancelled' ELSE 'registered' END,
       i % 20 = 0, CASE WHEN i % 9 = 0 THEN 1 ELSE 0 END, e.id || '|' || i
FROM events e, generate_series(1, 2000) AS i,
     LATERAL (SELECT 18 + (i * 7919) % 60 AS age) AS a;

UPDATE events e SET registered_count = (
    SELECT count(*) FROM registrations r
    WHERE r.event_id = e.id AND r.status = 'registered');
ALTER TABLE registrations ENABLE TRIGGER registrations_count;

-- The running tallies (checkin_tally()) are made once at the end, as
-- migration 0010 makes them: updated row by row, the same 200 tally rows
-- would take 280,000 new versions in one transaction, and each update
-- walks the chain of the ones before (the load took many minutes).
ALTER TABLE checkins DISABLE TRIGGER checkins_tally;
INSERT INTO checkins (event_id, registration_id, desk, checked_in_at)
SELECT r.event_id, r.id, 'desk-' || r.id % 3, e.starts_at + (r.id % 300 || ' seconds')::interval
FROM registrations r JOIN events e ON e.id = r.event_id
WHERE r.status = 'registered' AND r.id % 10 < 7;

INSERT INTO checkins (event_id, participation_id, desk, checked_in_at)
SELECT p.event_id, p.id, 'desk-0', e.starts_at
FROM participations p JOIN events e ON e.id = p.event_id;

ALTER TABLE checkins ENABLE TRIGGER checkins_tally;
INSERT INTO checkin_tallies (event_id, backend, seekers, companies)
SELECT event_id, 0, count(registration_id), count(participation_id)
FROM checkins WHERE undone_at IS NULL
GROUP BY event_id;

-- One or two interviews per present seeker, at booths of the same event.
WITH booths AS (
    SELECT p.id, p.event_id, p.company_id,
           row_number() OVER (PARTITION BY p.event_id ORDER BY p.id) - 1 AS n
    FROM participations p
)
INSERT INTO interviews (event_id, registration_id, participation_id, company_id,
                        outcome, outcome_date)
SELECT c.event_id, c.registration_id, b.id, b.company_id,
       CASE WHEN c.registration_id % 20 = 0 THEN 'hired'
            WHEN c.registration_id % 10 = 0 THEN 'offer' ELSE 'pending' END,
       CASE WHEN c.registration_id % 10 = 0 THEN e.starts_at::date + 30 END
FROM checkins c
JOIN events e ON e.id = c.event_id
JOIN LATERAL (SELECT DISTINCT (c.registration_id + k * 7) % 20 AS n
              FROM generate_series(0, CASE WHEN c.registration_id % 3 = 0 THEN 1 ELSE 0 END) AS k) AS pick ON true
JOIN booths b ON b.event_id = c.event_id AND b.n = pick.n
WHERE c.registration_id IS NOT NULL;
VACUUM ANALYZE;
