-- One registration per person, whatever the spacing, invisible characters
-- or letter case the same person typed: person_key becomes the identity
-- of registration_person_key() in sql/registrations.sql (kana without
-- spaces, then birth date, phone, lower-case e-mail, or the name in NFKC
-- without whitespace or format characters, lower case). The display
-- forms stay as typed.
--
-- The expression below is that function's at the time of writing: a
-- versioned migration runs before the source files, so it cannot call
-- them. Rows already registered twice under the new key keep a key of
-- their own (the key plus their id) so the unique index holds; the
-- organizers find them by `person_key LIKE '%|#%'`.
WITH k AS (
    SELECT r.id, r.event_id, r.status,
           replace(r.name_kana, ' ', '') || '|' || coalesce(
               r.birth_date::text, r.phone, lower(r.email),
               lower(regexp_replace(normalize(r.name, NFKC),
                     '[[:space:]\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+',
                     '', 'g'))) AS person_key
    FROM registrations r
    WHERE r.person_key IS NOT NULL AND r.purged_at IS NULL
), ranked AS (
    SELECT k.*, row_number() OVER (PARTITION BY k.event_id, k.person_key, k.status = 'registered'
                                   ORDER BY k.id) AS n
    FROM k
)
UPDATE registrations r
SET person_key = CASE WHEN ranked.status = 'registered' AND ranked.n > 1
                      THEN ranked.person_key || '|#' || r.id
                      ELSE ranked.person_key END
FROM ranked
WHERE r.id = ranked.id AND r.person_key IS DISTINCT FROM
      CASE WHEN ranked.status = 'registered' AND ranked.n > 1
           THEN ranked.person_key || '|#' || r.id ELSE ranked.person_key END;
