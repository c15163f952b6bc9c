-- Mail waiting to be sent (the table is migrations/0025_mail_outbox.sql).
-- Applied by `jobfaird migrate` whenever this file changes (see
-- migrations/README.md): keep it idempotent.

-- Queues a mail in the caller's transaction and wakes the senders once it
-- commits. Returns the row's id.
CREATE OR REPLACE FUNCTION mail_enqueue(p_kind text, p_event bigint, p_to text, p_subject text,
                                        p_body text, p_qr_token text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO mail_outbox (kind, event_id, to_addr, subject, body, qr_token)
    VALUES (p_kind, p_event, p_to, p_subject, p_body, p_qr_token)
    RETURNING id INTO v_id;
    PERFORM pg_notify('jobfair_mail', v_id::text);
    RETURN v_id;
END
$$;
