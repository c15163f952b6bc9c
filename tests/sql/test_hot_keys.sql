-- Check-ins, scans and the audit log name events, users, registrations,
-- booths and result codes without a foreign key (0028_checkin_hot_keys.sql): so none may ever be
-- deleted, truncated or renumbered, and every result a scan gets is a
-- known code. And the live counts stay exact across
-- a walk-in, its undo, a close and a reopen (reopened_at, which the
-- check-in reads in place of a search of audit_log).
\ir fixture.psql
SELECT pg_temp.t_event(NULL) AS ev \gset
SELECT pg_temp.t_event(NULL, '2024-06-15') AS past \gset
SELECT pg_temp.t_seeker(:ev, 'イチ') AS one \gset
SELECT pg_temp.t_seeker(:ev, 'ニ') AS two \gset
SELECT pg_temp.t_seeker(:past, 'サン') AS three \gset
INSERT INTO events (type, title, starts_at, ends_at, organizer, status)
VALUES ('joint_interview_fair', 'nobody named it', now(), now() + interval '1 hour', 'joint', 'draft')
RETURNING id AS bare \gset
INSERT INTO users (id, name, role, token_hash) VALUES (2, 'nemo', 'viewer', repeat('b', 64))
RETURNING id AS nemo \gset
SELECT plan(23);

SELECT pg_temp.t_scan(:ev, :'one', 'hot-nonce-1') IS NOT NULL;

-- Even a row nothing names any more is kept.
SELECT throws_ok(format('DELETE FROM events WHERE id = %s', :bare), 'JF403', NULL,
                 'an event is never deleted');
SELECT throws_ok(format('DELETE FROM users WHERE id = %s', :nemo), 'JF403', NULL,
                 'a user is never deleted');
SELECT throws_ok('TRUNCATE events CASCADE', 'JF403', NULL, 'events are never truncated');
SELECT throws_ok('TRUNCATE users CASCADE', 'JF403', NULL, 'users are never truncated');
SELECT throws_ok(format('UPDATE events SET id = id + 1000 WHERE id = %s', :bare), 'JF403', NULL,
                 'an event is never renumbered');
SELECT throws_ok('UPDATE users SET id = id WHERE id = 1', 'JF403', NULL,
                 'a user is never renumbered');
SELECT lives_ok(format('UPDATE users SET revoked_at = now() WHERE id = %s', :nemo),
                'a user is revoked instead');
SELECT throws_ok(format('DELETE FROM registrations WHERE checkin_token = %L', :'two'), 'JF403',
                 NULL, 'a registration is never deleted');
SELECT throws_ok('TRUNCATE registrations CASCADE', 'JF403', NULL,
                 'registrations are never truncated');
SELECT throws_ok('DELETE FROM participations', 'JF403', NULL, 'a booth is never deleted');
SELECT throws_ok('DELETE FROM scan_results WHERE code = ''cancelled''', 'JF403', NULL,
                 'a result code is never deleted');

-- A walk-in and its undo.
SELECT api_walkin(1, :ev, pg_temp.t_token('walk-in'), 'full',
                  jsonb_build_object('name', '名ヨン', 'name_kana', 'ヨン', 'age', 30,
                                     'categories', '{youth}', 'consent', true,
                                     'nonce', 'walkin-nonce-1', 'desk', 'desk-1'))
       ->'checkin'->>'id' AS walkin \gset
SELECT ok(pg_temp.t_agree(:ev), 'tallies after a walk-in');
SELECT api_checkin_undo(1, :ev, :walkin) IS NOT NULL;
SELECT ok(pg_temp.t_agree(:ev), 'tallies after the walk-in''s undo');

-- Closed: no check-in; reopened: marked on the row, and every later
-- change is audited.
SELECT api_event_update(1, :ev, '{"status": "closed"}') IS NOT NULL;
SELECT is((SELECT reopened_at FROM events WHERE id = :ev), NULL, 'not reopened yet');
SELECT throws_ok(format('SELECT pg_temp.t_scan(%s, %L, %L)', :ev, :'two', 'hot-nonce-2'),
                 'JF409', NULL, 'a closed event takes no check-in');
SELECT api_event_update(1, :ev, '{"status": "open"}') IS NOT NULL;
SELECT isnt((SELECT reopened_at FROM events WHERE id = :ev), NULL, 'the reopening marks the event');
SELECT is(pg_temp.t_scan(:ev, :'two', 'hot-nonce-2')->>'result', 'checked_in',
          'a reopened event takes check-ins');
SELECT is((SELECT count(*) FROM audit_log WHERE action = 'reopened_change' AND object_id = :ev),
          1::bigint, 'the change after the reopening is audited');
SELECT ok(pg_temp.t_agree(:ev), 'tallies after the reopening');
SELECT throws_ok(format('UPDATE checkins SET event_id = %s WHERE event_id = %s', :past, :ev),
                 'JF409', NULL, 'a check-in never moves to another event (one tally row)');

-- An event on another day takes a check-in once reopened (the fixture
-- marks it so).
SELECT pg_temp.t_scan(:past, :'three', 'hot-nonce-3') IS NOT NULL;
SELECT ok(pg_temp.t_agree(:past), 'tallies of a reopened past event');

-- A scan of each kind the test can make: each result a known code.
SELECT pg_temp.t_scan(:ev, :'one', 'hot-nonce-4')->>'result';
SELECT pg_temp.t_scan(:ev, :'three', 'hot-nonce-5')->>'result';
SELECT pg_temp.t_scan(:ev, 'JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'hot-nonce-6')->>'result';
SELECT is((SELECT count(DISTINCT result) FROM scans), 4::bigint, 'four kinds of result');
SELECT is((SELECT count(*) FROM scans s WHERE NOT EXISTS
               (SELECT 1 FROM scan_results r WHERE r.code = s.result)),
          0::bigint, 'every scan''s result is a known code');
SELECT * FROM finish();
