-- A scan retried with its nonce gets the first answer byte for byte and
-- writes nothing, even after the person was checked in elsewhere, undone,
-- or the first answer was a refusal.
\ir fixture.psql
SELECT pg_temp.t_event(NULL) AS ev \gset
SELECT pg_temp.t_seeker(:ev, 'ヤマダ') AS tok \gset
SELECT plan(6);

SELECT pg_temp.t_scan(:ev, :'tok', 'nonce-first-0001')::text AS first \gset
SELECT is(pg_temp.t_scan(:ev, :'tok', 'nonce-first-0001')::text, :'first', 'a retry: the first answer');
SELECT pg_temp.t_scan(:ev, :'tok', 'nonce-second-001')::text AS second \gset
SELECT isnt(:'second'::text, :'first'::text, 'another nonce: a new answer');
SELECT api_checkin_undo(1, :ev, (:'first'::jsonb->>'checkin_id')::bigint) IS NOT NULL;
SELECT is(pg_temp.t_scan(:ev, :'tok', 'nonce-first-0001')::text, :'first',
          'after an undo, still the first answer');
SELECT is((SELECT count(*) FROM scans WHERE nonce = 'nonce-first-0001'), 1::bigint, 'one scan row');
SELECT is((SELECT count(*) FROM checkins WHERE event_id = :ev), 1::bigint, 'one check-in row');

SELECT pg_temp.t_scan(:ev, 'JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'nonce-unknown-01')::text AS refused \gset
SELECT is(pg_temp.t_scan(:ev, 'JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'nonce-unknown-01')::text,
          :'refused', 'a refusal replays as itself');
SELECT * FROM finish();
