-- The companies' public application form (申込フォーム, 企業): what a
-- company sent, kept with its booth for the organizer to review. The
-- company's own row is never changed by a public form (a stranger could
-- send any 法人番号): a known company's booth gets the application
-- beside it, and an organizer decides what to copy.
CREATE TABLE booth_applications (
    id bigserial PRIMARY KEY,
    participation_id bigint NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    -- The form as the server checked it: corporate_number, name,
    -- name_kana, postal_code, address, contact_name, phone, email,
    -- representatives, representative_names, openings.
    details jsonb NOT NULL CHECK (jsonb_typeof(details) = 'object'
                                  AND length(details::text) <= 16384),
    -- The company's row was made from this application (a new 法人番号).
    created_company boolean NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booth_applications_participation ON booth_applications (participation_id);
