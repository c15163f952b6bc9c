-- The scan row is a check-in's audit record (0029): the admin's audit list
-- shows each check-in once, new ones from their scan and earlier ones
-- from their audit_log row, pages through ties of time across both id
-- spaces, counts check-ins by id towards the lookup limit, and the scan
-- log refuses changes but the purge's.
\ir fixture.psql
SELECT pg_temp.t_event(NULL) AS ev \gset
SELECT pg_temp.t_seeker(:ev, 'ヤマダ') AS t1 \gset
SELECT pg_temp.t_seeker(:ev, 'カワカミ') AS t2 \gset
SELECT pg_temp.t_booth(:ev, '株式会社 山口') AS tb \gset
SELECT pg_temp.t_seeker(:ev, 'サトウ') AS t3 \gset
SELECT id AS r3 FROM registrations WHERE checkin_token = :'t3' \gset
SELECT plan(13);

-- The trail's check-in entries of this event, as the admin's list has them.
CREATE FUNCTION pg_temp.t_entries() RETURNS SETOF jsonb LANGUAGE sql AS $$
    SELECT i FROM jsonb_array_elements(api_audit_list('{"kind": "checkin", "limit": 1000}')->'items') i;
$$;

-- One transaction: every row below has the same time, so the list's
-- order rests on the ids alone.
BEGIN;
SELECT (pg_temp.t_scan(:ev, :'t1', 'trail-00001')->>'checkin_id')::bigint AS c1 \gset
SELECT pg_temp.t_scan(:ev, :'t1', 'trail-00002') IS NOT NULL AS again \gset
SELECT (pg_temp.t_scan(:ev, :'tb', 'trail-00003')->>'checkin_id')::bigint AS cb \gset
SELECT (api_checkin(1, :ev, jsonb_build_object('registration_id', :r3, 'nonce', 'trail-00004',
                                               'desk', 'desk-2'))->>'checkin_id')::bigint AS c3 \gset
SELECT (pg_temp.t_scan(:ev, :'t2', 'trail-00005')->>'checkin_id')::bigint AS c2 \gset
-- A check-in of before 0029: its audit_log row, its scan without by_id.
SET LOCAL session_replication_role = replica;
UPDATE scans SET by_id = NULL WHERE checkin_id = :c2;
RESET session_replication_role;
SELECT audit(1, 'checkin', 'registration', registration_id,
             jsonb_build_object('checkin_id', id, 'desk', desk, 'offline', false))
FROM checkins WHERE id = :c2;
COMMIT;

SELECT is((SELECT count(*) FROM audit_log WHERE action = 'checkin'), 1::bigint,
          'a check-in writes no audit_log row (the one there is history)');
SELECT bag_eq(
    $$SELECT (i->'detail'->>'checkin_id')::bigint FROM pg_temp.t_entries() i$$,
    $$SELECT id FROM checkins$$,
    'every check-in listed once, history and new, none twice');
SELECT is((SELECT i - 'at' - 'scan_id' FROM pg_temp.t_entries() i
           WHERE (i->'detail'->>'checkin_id')::bigint = :c1),
          jsonb_build_object('user', 'olivia', 'action', 'checkin', 'entity', 'registration',
                             'entity_id', (SELECT registration_id FROM checkins WHERE id = :c1),
                             'detail', jsonb_build_object('checkin_id', :c1, 'desk', 'desk-1',
                                                          'offline', false)),
          'a desk scan: as its audit_log row was');
SELECT is((SELECT i->>'entity' || ' ' || (i->>'entity_id') FROM pg_temp.t_entries() i
           WHERE (i->'detail'->>'checkin_id')::bigint = :cb),
          'booth ' || (SELECT participation_id FROM checkins WHERE id = :cb), 'a booth: its id');
SELECT is((SELECT i->'detail'->'by_id' FROM pg_temp.t_entries() i
           WHERE (i->'detail'->>'checkin_id')::bigint = :c3), 'true'::jsonb,
          'a check-in by id says so');
SELECT ok((SELECT i ? 'id' AND NOT i ? 'scan_id' FROM pg_temp.t_entries() i
           WHERE (i->'detail'->>'checkin_id')::bigint = :c2),
          'history: from its audit_log row');

-- Pages of one entry: the whole list, each entry once, though all share
-- one time and the scans' and the audit log's ids overlap.
SELECT is((SELECT jsonb_agg(api_audit_list(jsonb_build_object('limit', 1, 'offset', n))->'items'->0
                            ORDER BY n)
           FROM generate_series(0, (api_audit_list('{}')->>'total')::int - 1) n),
          api_audit_list('{"limit": 1000}')->'items', 'paged one by one: the same list');
SELECT is((SELECT count(*) FROM audit_trail WHERE scan_id IS NOT NULL AND id IS NOT NULL), 0::bigint,
          'an entry has one id');

-- The lookup limit counts the check-in by id (the scan's) with the lookups.
SELECT throws_ok('SELECT lookup_rate_check(1, 1)', 'JF429', NULL,
                 'a check-in by id counts towards the lookup limit');
SELECT lives_ok('SELECT lookup_rate_check(1, 2)', 'and only it');

-- The scan log refuses changes but the purge's (TRUNCATE: the owner's
-- alone, by privilege, as for every table).
SELECT throws_ok('DELETE FROM scans', 'JF403', NULL, 'no DELETE');
SELECT throws_ok(format('UPDATE scans SET user_id = NULL WHERE checkin_id = %s', :c1), 'JF403', NULL,
                 'no change of who scanned');
SELECT lives_ok($$UPDATE scans SET response = response - '{name,name_kana}'::text[]$$,
                'names may be taken out of the answers (the purge)');
SELECT * FROM finish();
