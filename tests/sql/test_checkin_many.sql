-- Group commit: api_checkin_many answers each scan of a group exactly as
-- api_checkin would have one by one, in order (two scans of one token:
-- the first checks in, the second is already_checked_in; a nonce seen
-- earlier in the group replays its answer), and a poisoned scan fails
-- alone, leaving no row, while the scans around it stand.
\ir fixture.psql
SELECT pg_temp.t_event(NULL) AS ev \gset
SELECT pg_temp.t_event(NULL) AS twin \gset
SELECT pg_temp.t_seeker(:ev, 'アオキ') AS a \gset
SELECT pg_temp.t_seeker(:ev, 'イトウ') AS b \gset
SELECT pg_temp.t_seeker(:twin, 'アオキ') AS ta \gset
SELECT pg_temp.t_seeker(:twin, 'イトウ') AS tb \gset
SELECT plan(12);

-- The same six scans: into :ev as one group, into :twin one by one.
-- The fourth is poisoned (a scanned_at that is no time).
CREATE TEMP TABLE scan_list (i int, token_ev text, token_twin text, nonce text, extra jsonb);
INSERT INTO scan_list VALUES
    (1, :'a', :'ta', 'n1', '{}'),
    (2, :'a', :'ta', 'n2', '{}'),
    (3, 'JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'JF1-AAAAAAAAAAAAAAAAAAAAAAAAAA', 'n3', '{}'),
    (4, :'b', :'tb', 'n4', '{"offline": true, "scanned_at": "not a time"}'),
    (5, :'b', :'tb', 'n5', '{}'),
    (6, :'a', :'ta', 'n1', '{}');

CREATE TEMP TABLE grouped AS
SELECT row_number() OVER () AS i, g.answer, g.failed
FROM api_checkin_many(
    (SELECT array_agg(1::bigint ORDER BY i) FROM scan_list),
    (SELECT array_agg(:ev::bigint ORDER BY i) FROM scan_list),
    (SELECT array_agg(jsonb_build_object('token', token_ev, 'nonce', 'group-nonce-' || nonce,
                                         'desk', 'desk-1') || extra ORDER BY i)
     FROM scan_list)) g;

CREATE TEMP TABLE alone (i int, answer jsonb, failed boolean);
SELECT set_config('t.twin', :'twin', false) IS NOT NULL;
DO $$
DECLARE
    s record;
BEGIN
    FOR s IN SELECT * FROM scan_list ORDER BY i LOOP
        BEGIN
            INSERT INTO alone
            SELECT s.i, api_checkin(1, current_setting('t.twin')::bigint,
                                    jsonb_build_object('token', s.token_twin, 'nonce', 'alone-nonce-' || s.nonce,
                                                       'desk', 'desk-1') || s.extra), false;
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO alone VALUES (s.i, NULL, true);
        END;
    END LOOP;
END;
$$;

SELECT is((SELECT count(*) FROM grouped), 6::bigint, 'one answer per scan');
SELECT is((SELECT array_agg(answer->>'result' ORDER BY i) FROM grouped),
          ARRAY['checked_in', 'already_checked_in', 'unknown_token', NULL,
                'checked_in', 'checked_in'],
          'in order: first checks in, the second is already in, a repeated nonce replays');
SELECT is((SELECT array_agg(coalesce(answer->>'result', 'failed') ORDER BY i) FROM grouped),
          (SELECT array_agg(coalesce(answer->>'result', 'failed') ORDER BY i) FROM alone),
          'the same results as one by one');
SELECT is((SELECT array_agg(failed ORDER BY i) FROM grouped),
          (SELECT array_agg(failed ORDER BY i) FROM alone),
          'the same scan fails, alone');
SELECT ok((SELECT failed AND answer IS NULL FROM grouped WHERE i = 4),
          'the poisoned scan is marked failed');
SELECT is((SELECT answer FROM grouped WHERE i = 6), (SELECT answer FROM grouped WHERE i = 1),
          'a nonce repeated in the group gets the first answer byte for byte');
SELECT is((SELECT answer->>'checkin_id' FROM grouped WHERE i = 2),
          (SELECT answer->>'checkin_id' FROM grouped WHERE i = 1),
          'the second scan names the first one''s check-in');
SELECT is((SELECT count(*) FROM scans WHERE nonce = 'group-nonce-n4'), 0::bigint,
          'the poisoned scan left no scan row');
SELECT is((SELECT count(*) FROM scans WHERE event_id = :ev),
          (SELECT count(*) FROM scans WHERE event_id = :twin),
          'as many scan rows as one by one');
SELECT is((SELECT count(*) FROM checkins WHERE event_id = :ev), 2::bigint,
          'two check-ins, one per person');
SELECT is((SELECT counts FROM (SELECT checkin_counts(:ev) AS counts) c),
          (SELECT checkin_counts(:twin)), 'the live counts as one by one');
SELECT throws_ok(format('SELECT * FROM api_checkin_many(''{1}'', ''{%s,%s}'', ''{"{}"}'')',
                        :ev, :ev),
                 'P0001', 'users, events and scans must be arrays of one length',
                 'arrays of different lengths are refused');
SELECT * FROM finish();
