-- One check-in per registration: eight desks scan the same person at the
-- same instant (their INSERTs held back by a table lock, then released
-- together); one wins, seven are told who was first, one row.
\ir fixture.psql
SELECT pg_temp.t_event(NULL) AS ev \gset
SELECT pg_temp.t_seeker(:ev, 'ヤマダ') AS tok \gset
SELECT plan(6);

BEGIN;
LOCK TABLE checkins IN SHARE ROW EXCLUSIVE MODE;
SELECT pg_temp.t_send(:'db_url', 8, format(
    'SELECT api_checkin(1, %s, jsonb_build_object(''token'', %L, ''nonce'', ''race-nonce-%%s'', ''desk'', ''desk-%%s''))',
    :ev, :'tok'));
SELECT is(pg_temp.t_wait_blocked(8), 8, 'eight scans wait at the insert together');
COMMIT;
CREATE TEMP TABLE answers AS SELECT session, answer::jsonb AS a FROM pg_temp.t_collect(8);

SELECT is((SELECT count(*) FROM checkins c JOIN registrations r ON r.id = c.registration_id
           WHERE r.checkin_token = :'tok'), 1::bigint, 'one checkins row');
SELECT is((SELECT count(*) FROM answers WHERE a->>'result' = 'checked_in'), 1::bigint,
          'one scan checked in');
SELECT is((SELECT count(*) FROM answers WHERE a->>'result' = 'already_checked_in'), 7::bigint,
          'seven were told the person is in');
SELECT is((SELECT count(DISTINCT a->>'checkin_id') FROM answers), 1::bigint,
          'all name the same check-in');
SELECT is((SELECT sum(seekers) FROM checkin_tallies WHERE event_id = :ev), 1::bigint,
          'the live count is one');
SELECT * FROM finish();
