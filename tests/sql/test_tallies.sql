-- The live counts are running tallies (one row per event and session);
-- whatever mix of check-ins, undos and offline batches, from several
-- sessions, their sum equals the live check-in rows, and checkin_counts()
-- says the same. A TRUNCATE of checkins clears them too.
\ir fixture.psql
SELECT pg_temp.t_event(NULL) AS ev \gset
SELECT pg_temp.t_event(NULL, '2024-06-15') AS ev2 \gset
CREATE TEMP TABLE toks AS
    SELECT i, pg_temp.t_seeker(:ev, 'サンカ' || repeat('ア', i)) AS tok FROM generate_series(1, 10) i;
SELECT pg_temp.t_booth(:ev, '株式会社イチ') AS btok \gset
SELECT pg_temp.t_booth(:ev, '株式会社ニ') AS btok2 \gset
SELECT pg_temp.t_seeker(:ev2, 'ベツ') AS other \gset
SELECT plan(7);

-- Four seekers and a booth here, three seekers from another session.
SELECT pg_temp.t_scan(:ev, tok, 'here-nonce-' || i) IS NOT NULL FROM toks WHERE i <= 4;
SELECT pg_temp.t_scan(:ev, :'btok2', 'here-nonce-booth') IS NOT NULL;
SELECT pg_temp.t_send(:'db_url', 1, format(
    'SELECT count(api_checkin(1, %s, jsonb_build_object(''token'', tok, ''nonce'', ''there-nonce-'' || i, ''desk'', ''desk-2'')))
     FROM unnest(%L::text[]) WITH ORDINALITY AS t(tok, i)', :ev,
    (SELECT array_agg(tok ORDER BY i) FROM toks WHERE i BETWEEN 5 AND 7)));
SELECT answer FROM pg_temp.t_collect(1);
SELECT pg_temp.t_scan(:ev2, :'other', 'other-event-nonce') IS NOT NULL;
SELECT ok(pg_temp.t_agree(:ev), 'after check-ins from two sessions');
SELECT ok((SELECT count(*) > 1 FROM checkin_tallies WHERE event_id = :ev), 'kept in one row per session');

-- Undo here of a check-in the other session made; and a double undo.
SELECT api_checkin_undo(1, :ev, c.id) IS NOT NULL FROM checkins c
JOIN registrations r ON r.id = c.registration_id JOIN toks t ON t.tok = r.checkin_token
WHERE t.i IN (2, 6);
SELECT throws_ok(format('SELECT api_checkin_undo(1, %s, %s)', :ev,
    (SELECT c.id FROM checkins c JOIN registrations r ON r.id = c.registration_id
     JOIN toks t ON t.tok = r.checkin_token WHERE t.i = 2)), NULL, NULL, 'a second undo is refused');
SELECT ok(pg_temp.t_agree(:ev), 'after undos');

-- An offline batch: new people, one twice, one already in, an unknown.
SELECT api_checkin_batch(1, :ev, jsonb_build_object('scans', jsonb_build_array(
    jsonb_build_object('token', (SELECT tok FROM toks WHERE i = 8), 'nonce', 'batch-nonce-1', 'offline', true),
    jsonb_build_object('token', (SELECT tok FROM toks WHERE i = 8), 'nonce', 'batch-nonce-2', 'offline', true),
    jsonb_build_object('token', (SELECT tok FROM toks WHERE i = 1), 'nonce', 'batch-nonce-3', 'offline', true),
    jsonb_build_object('token', (SELECT tok FROM toks WHERE i = 2), 'nonce', 'batch-nonce-4', 'offline', true),
    jsonb_build_object('token', :'btok', 'nonce', 'batch-nonce-5', 'offline', true),
    jsonb_build_object('token', 'JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'nonce', 'batch-nonce-6', 'offline', true))))
    IS NOT NULL;
SELECT ok(pg_temp.t_agree(:ev), 'after an offline batch');
SELECT is(checkin_counts(:ev)->'seekers'->>'checked_in',
          (SELECT count(*) FROM checkins WHERE event_id = :ev AND registration_id IS NOT NULL
           AND undone_at IS NULL)::text, 'checkin_counts() says the same');

TRUNCATE checkins CASCADE;
SELECT is((SELECT count(*) FROM checkin_tallies), 0::bigint, 'a TRUNCATE clears the tallies');
SELECT * FROM finish();
