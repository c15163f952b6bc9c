-- 法人番号: the check digit (the first of the 13 digits) is
-- 9 - (Σ digit × (1 or 2 by position, from the right) mod 9); the
-- companies table's CHECK uses it.
\ir fixture.psql
SELECT plan(9);
SELECT ok(corporate_number_valid(n), 'real: ' || n)
FROM unnest('{4000012090001,4011001098993,1180301018771,2120901007402}'::text[]) n;
SELECT ok(NOT corporate_number_valid('5000012090001'), 'a wrong check digit');
SELECT ok(NOT corporate_number_valid('400001209000'), 'twelve digits');
SELECT ok(NOT corporate_number_valid('4000012O90001'), 'a letter');
SELECT throws_ok($$INSERT INTO companies (name, corporate_number) VALUES ('誤り', '3000012090001')$$,
                 '23514', NULL, 'the CHECK refuses a wrong number');
SELECT lives_ok($$INSERT INTO companies (name, corporate_number) VALUES ('正しい', '4000012090001')$$,
                'and takes a right one');
SELECT * FROM finish();
