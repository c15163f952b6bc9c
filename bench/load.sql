-- The benchmark's data set: several events of this fiscal year's
-- programme and 50,000 registrations with check-in tokens. Tokens are
-- made from md5 so the set is the same on every run; their letters are
-- in the base32 alphabet the token parser accepts.
\set ON_ERROR_STOP on
INSERT INTO events (type, title, starts_at, ends_at, venue, capacity,
                    target_companies, target_seekers, organizer, status)
SELECT t.code, t.name_ja || ' (bench ' || g || ')',
       timestamptz '2024-10-15 10:00+09' + (g || ' days')::interval,
       timestamptz '2024-10-15 16:00+09' + (g || ' days')::interval,
       '山口市産業交流拠点施設', 20000, 30, 5000, 'joint', 'open'
FROM generate_series(1, 10) AS g
JOIN LATERAL (SELECT code, name_ja FROM event_types
              WHERE has_companies ORDER BY sort_order
              OFFSET (g - 1) % 5 LIMIT 1) AS t ON true;

INSERT INTO registrations (event_id, name, name_kana, age, age_band,
                           categories, consent_at, checkin_token,
                           person_key, search_key)
SELECT e.id, '求職者 ' || i, 'キュウショクシャ', 20 + i % 50,
       CASE WHEN 20 + i % 50 < 35 THEN 'under_35'
            WHEN 20 + i % 50 < 55 THEN '35_54' ELSE '55_64' END,
       CASE WHEN i % 7 = 0 THEN ARRAY['senior'] ELSE ARRAY['youth'] END,
       now(),
       'JF1-' || translate(upper(substr(md5('bench' || i), 1, 26)),
                           '0189', 'WXYZ'),
       'bench|' || i, 'キュウショクシャ'
FROM generate_series(1, 50000) AS i
JOIN events e ON e.title LIKE '%(bench ' || (1 + i % 10) || ')';
ANALYZE;
