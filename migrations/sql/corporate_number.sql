-- 法人番号: the check digit a companies CHECK constraint relies on.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- 法人番号: the first digit checks the other twelve (DOMAIN.md).
CREATE OR REPLACE FUNCTION corporate_number_valid(n text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT n ~ '^[0-9]{13}$' AND substr(n, 1, 1)::int = 9 - (
        SELECT sum(substr(n, 14 - i, 1)::int * CASE WHEN i % 2 = 1 THEN 1 ELSE 2 END)
        FROM generate_series(1, 12) AS i) % 9;
$$;
