-- The benchmark's data set: several events of this fiscal year's
-- programme and 50,000 registrations with check-in tokens. Tokens are
-- made from md5 so the set is the same on every run; their letters are
-- in the base32 alphabet the token parser accepts. Last year's events,
-- everyone checked in, sit in the same tables: a live database has
-- history, and an empty checkins table gets plans (sequential scans)
-- that a real one never would.
\set ON_ERROR_STOP on
INSERT INTO events (type, title, starts_at, ends_at, venue, capacity,
                    target_companies, target_seekers, organizer, status)
SELECT t.code, t.name_ja || ' (bench ' || g || ')',
       -- Today in Japan: check-ins are taken only on an event's days.
       ((now() AT TIME ZONE 'Asia/Tokyo')::date + time '10:00') AT TIME ZONE 'Asia/Tokyo',
       ((now() AT TIME ZONE 'Asia/Tokyo')::date + time '16:00') AT TIME ZONE 'Asia/Tokyo',
       '山口市産業交流拠点施設', 20000, 30, 5000, 'joint', 'open'
FROM generate_series(1, 10) AS g
JOIN LATERAL (SELECT code, name_ja FROM event_types
              WHERE has_companies ORDER BY sort_order
              OFFSET (g - 1) % 5 LIMIT 1) AS t ON true;

INSERT INTO events (type, title, starts_at, ends_at, venue, capacity,
                    target_companies, target_seekers, organizer, status)
SELECT type, replace(title, '(bench', '(history'), starts_at - interval '1 year',
       ends_at - interval '1 year', venue, capacity, target_companies,
       target_seekers, organizer, 'closed'
FROM events WHERE title LIKE '%(bench %';

-- 50,000 this year ("bench") and 50,000 last year ("history"). The
-- per-row counter trigger would make 100,000 versions of 20 event rows
-- in one transaction (minutes); the counts are set once afterwards.
ALTER TABLE registrations DISABLE TRIGGER registrations_count;
INSERT INTO registrations (event_id, name, name_kana, age, age_band,
                           categories, consent_at, checkin_token,
                           person_key, search_key)
SELECT e.id, '求職者 ' || i, 'キュウショクシャ', 20 + i % 50,
       CASE WHEN 20 + i % 50 < 35 THEN 'under_35'
            WHEN 20 + i % 50 < 55 THEN '35_54' ELSE '55_64' END,
       CASE WHEN i % 7 = 0 THEN ARRAY['senior'] ELSE ARRAY['youth'] END,
       now(),
       'JF1-' || translate(upper(substr(md5(k.kind || i), 1, 26)),
                           '0189', 'WXYZ'),
       k.kind || '|' || i, 'キュウショクシャ'
FROM (VALUES ('bench'), ('history')) AS k (kind)
CROSS JOIN generate_series(1, 50000) AS i
JOIN events e ON e.title LIKE '%(' || k.kind || ' ' || (1 + i % 10) || ')';
ALTER TABLE registrations ENABLE TRIGGER registrations_count;
UPDATE events e SET registered_count = (SELECT count(*) FROM registrations r
                                        WHERE r.event_id = e.id AND r.status = 'registered');

INSERT INTO checkins (event_id, registration_id, desk, checked_in_at, user_id)
SELECT r.event_id, r.id, 'desk-' || r.id % 4, e.starts_at + (r.id % 300) * interval '1 minute',
       (SELECT min(id) FROM users)
FROM registrations r JOIN events e ON e.id = r.event_id
WHERE e.title LIKE '%(history %';

INSERT INTO scans (event_id, nonce, token, desk, received_at, user_id, result,
                   checkin_id, response)
SELECT c.event_id, 'history-' || c.id, r.checkin_token, c.desk, c.checked_in_at,
       c.user_id, 'checked_in', c.id,
       jsonb_build_object('result', 'checked_in', 'checkin_id', c.id)
FROM checkins c JOIN registrations r ON r.id = c.registration_id;

INSERT INTO audit_log (user_id, action, object_type, object_id, detail)
SELECT user_id, 'checkin', 'registration', registration_id,
       jsonb_build_object('checkin_id', id, 'desk', desk, 'offline', false)
FROM checkins;

VACUUM ANALYZE;
