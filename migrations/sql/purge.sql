-- Purging seekers' personal data once it is no longer needed.
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- Retention: removes job seekers' personal data from registrations for
-- events of fiscal years before p_before, keeping what reports count
-- (categories, age band, supporters, attendance, interviews, outcomes).
-- The 手帳 type and the accommodations asked for are sensitive and no
-- report counts them, so they go too, as do the names the check-in desks
-- were answered with in the scan log, the events' mails (and sent or
-- failed mails of no event written in those years) and what companies
-- sent on the public form.
CREATE OR REPLACE FUNCTION api_seekers_purge(p_user bigint, p_before int) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_n int;
BEGIN
    IF p_before > fiscal_year(now()) THEN
        RAISE EXCEPTION 'must not be after the current fiscal year'
            USING ERRCODE = 'JF422', COLUMN = 'before_fiscal_year';
    END IF;
    UPDATE registrations r
    SET name = NULL, name_kana = NULL, phone = NULL, email = NULL, birth_date = NULL,
        age = NULL, disability_handbook = NULL, accommodations = '{}',
        accommodation_note = NULL, person_key = NULL, search_key = NULL,
        purged_at = now(), updated_at = now()
    FROM events e
    WHERE e.id = r.event_id AND e.fiscal_year < p_before AND r.purged_at IS NULL;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    -- The public form's receipts of people who had applied before.
    UPDATE public_receipts p SET name = NULL, name_kana = NULL
    FROM events e
    WHERE e.id = p.event_id AND e.fiscal_year < p_before AND p.name IS NOT NULL;
    UPDATE scans s SET response = s.response - '{name,name_kana}'::text[]
    FROM events e
    WHERE e.id = s.event_id AND e.fiscal_year < p_before
      AND s.response ?| '{name,name_kana}'::text[];
    -- What companies sent on the public form names their contact and
    -- the people coming; the booths and companies stay.
    DELETE FROM booth_applications a USING participations pa, events e
    WHERE pa.id = a.participation_id AND e.id = pa.event_id AND e.fiscal_year < p_before;
    -- Mails hold addresses and names in their text: sent or not, they go.
    DELETE FROM mail_outbox m USING events e
    WHERE e.id = m.event_id AND e.fiscal_year < p_before;
    -- A mail of no event goes by the fiscal year it was written in, once
    -- sent or given up: a queued one is still to be sent.
    DELETE FROM mail_outbox m
    WHERE m.event_id IS NULL AND fiscal_year(m.created_at) < p_before
      AND (m.sent_at IS NOT NULL OR m.failed_at IS NOT NULL);
    PERFORM audit(p_user, 'purge', 'registration', NULL,
                  jsonb_build_object('before_fiscal_year', p_before, 'purged', v_n));
    RETURN json_build_object('before_fiscal_year', p_before, 'purged', v_n);
END;
$$;
