-- Capacity and one registration per person: eight registrations race for
-- three places (held back by a lock on the event, released together);
-- a batch fills the rest row by row, each refused row alone and with
-- its reason; the count kept on the event equals the rows.
\ir fixture.psql
SELECT pg_temp.t_event(3) AS ev \gset
SELECT pg_temp.t_event(4) AS ev2 \gset
SELECT plan(16);

BEGIN;
SELECT 1 FROM events WHERE id = :ev FOR UPDATE;
SELECT pg_temp.t_send(:'db_url', 8, format(
    'SELECT api_registration_create(1, %s, ''JF1-RACE%%sAAAAAAAAAAAAAAAAAAAAA'',
        jsonb_build_object(''name'', ''名'', ''name_kana'', ''サンカ'' || repeat(''ア'', %%s), ''age'', 30, ''consent'', true))',
    :ev));
SELECT is(pg_temp.t_wait_blocked(8), 8, 'eight registrations wait for the event together');
COMMIT;
CREATE TEMP TABLE answers AS SELECT * FROM pg_temp.t_collect(8);
SELECT is((SELECT count(*) FROM answers WHERE answer NOT LIKE 'error:%'), 3::bigint,
          'three registered');
SELECT is((SELECT count(*) FROM answers WHERE answer LIKE 'error:%the event is full%'), 5::bigint,
          'five refused: the event is full');
SELECT is((SELECT registered_count FROM events WHERE id = :ev), 3, 'the event counts three');
SELECT is((SELECT count(*) FROM registrations WHERE event_id = :ev AND status = 'registered'),
          3::bigint, 'three rows');

-- A batch: one place taken, four left.
SELECT pg_temp.t_seeker(:ev2, 'センキャク') IS NOT NULL;
CREATE TEMP TABLE body AS SELECT '{"registrations": [
        {"name": "一番", "name_kana": "イチバン", "age": 30, "consent": true},
        {"name": "名センキャク", "name_kana": "センキャク", "age": 30, "consent": true},
        {"name": "二番", "name_kana": "ニバン", "age": 30, "birth_date": "1990-01-01", "consent": true},
        {"name": "二番", "name_kana": "ニバン", "birth_date": "1990-01-01", "consent": true},
        {"name": "二番", "name_kana": "ニバン", "birth_date": "1990-01-01", "consent": true},
        {"name": "取消", "name_kana": "トリケシ", "age": 40, "consent": true, "status": "cancelled"},
        {"name": "三番", "name_kana": "サンバン", "age": 50, "consent": true},
        {"name": "四番", "name_kana": "ヨンバン", "age": 60, "consent": true}]}'::jsonb AS p;
CREATE TEMP TABLE batch AS SELECT api_registration_create_batch(1, :ev2,
    ARRAY(SELECT pg_temp.t_token('batch' || i) FROM generate_series(1, 8) i), (SELECT p FROM body))::jsonb AS b;
SELECT is((SELECT string_agg(r->>'status', ',' ORDER BY (r->>'index')::int)
           FROM batch, jsonb_array_elements(b->'results') r),
          '201,409,422,201,409,201,201,409', 'a status per row, in order');
SELECT is((SELECT b->'results'->1->'error'->'fields'->>'name_kana' FROM batch),
          'this person is already registered for the event', 'an earlier registration named');
SELECT is((SELECT b->'results'->4->'error'->'fields'->>'name_kana' FROM batch),
          'this person is already registered for the event', 'a twin within the batch refused');
SELECT is((SELECT b->'results'->2->'error'->'fields'->>'age' FROM batch),
          'give birth_date or age, not both', 'a bad row refused alone, with its reason');
SELECT is((SELECT b->'results'->7->'error'->>'message' FROM batch), 'the event is full',
          'past the capacity: full');
SELECT is((SELECT b->>'created' || '/' || (b->>'refused') FROM batch), '4/4', 'created 4, refused 4');
SELECT is((SELECT registered_count FROM events WHERE id = :ev2), 4, 'the event counts its capacity');
SELECT is((SELECT count(*) FROM registrations WHERE event_id = :ev2), 5::bigint,
          'refused rows left nothing');

-- What the answers say, without ids, tokens and times.
CREATE FUNCTION pg_temp.t_gist(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_agg((x - 'registration') || jsonb_build_object(
        'name', x->'registration'->'name', 'status_of', x->'registration'->'status',
        'age_band', x->'registration'->'age_band') ORDER BY (x->>'index')::int)
    FROM jsonb_array_elements(p->'results') x;
$$;
-- The same batch row by row, the way taken when a row breaks one of the
-- table's constraints, answers the same.
SELECT pg_temp.t_event(4) AS ev3 \gset
SELECT pg_temp.t_seeker(:ev3, 'センキャク') IS NOT NULL;
SELECT is(pg_temp.t_gist(registration_batch_by_row(1, (SELECT e FROM events e WHERE id = :ev3),
              ARRAY(SELECT pg_temp.t_token('rows' || i) FROM generate_series(1, 8) i), (SELECT p FROM body))::jsonb),
          pg_temp.t_gist((SELECT b FROM batch)), 'at once and row by row agree');
-- A row that breaks a CHECK: refused alone, with the constraint named.
SELECT pg_temp.t_event(NULL) AS ev4 \gset
SELECT api_registration_create_batch(1, :ev4, ARRAY(SELECT pg_temp.t_token('c' || i) FROM generate_series(1, 3) i),
    '{"registrations": [{"name": "一", "name_kana": "イチ", "age": 30, "consent": true},
                        {"name": "二", "name_kana": "abc", "age": 30, "consent": true},
                        {"name": "三", "name_kana": "サン", "age": 30, "consent": true}]}')::jsonb AS c \gset
SELECT is((SELECT string_agg(r->>'status', ',') FROM jsonb_array_elements(:'c'::jsonb->'results') r),
          '201,422,201', 'a row the table refuses is refused alone');
SELECT is((SELECT registered_count FROM events WHERE id = :ev4), 2, 'and the count is right');
SELECT * FROM finish();
