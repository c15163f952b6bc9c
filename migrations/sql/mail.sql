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

-- Claims up to p_limit due mails for one sender. Rows another sender has
-- locked are skipped, and a claimed row is not due again for the lease
-- (longer than a send may take), so two jobfaird never send one row at
-- once; if this one dies mid-send, the row is due again after the lease.
-- The attempt is counted now, so a crash still uses one up.
CREATE OR REPLACE FUNCTION mail_claim(p_limit int, p_lease_seconds int)
RETURNS TABLE (id bigint, to_addr text, subject text, body text, qr_token text,
               created_epoch bigint)
LANGUAGE sql AS $$
    UPDATE mail_outbox m
    SET attempts = m.attempts + 1,
        next_attempt_at = now() + make_interval(secs => p_lease_seconds)
    WHERE m.id IN (SELECT o.id FROM mail_outbox o
                   WHERE o.sent_at IS NULL AND o.failed_at IS NULL
                     AND o.next_attempt_at <= now()
                   ORDER BY o.next_attempt_at, o.id
                   LIMIT p_limit
                   FOR UPDATE SKIP LOCKED)
    RETURNING m.id, m.to_addr, m.subject, m.body, m.qr_token,
              extract(epoch FROM m.created_at)::bigint;
$$;

-- The relay took the mail. Its text goes: a confirmation's body holds the
-- receipt and cancellation secrets, which the database otherwise keeps
-- only as SHA-256; the row stays as the record that it was sent.
CREATE OR REPLACE FUNCTION mail_sent(p_id bigint) RETURNS void
LANGUAGE sql AS $$
    UPDATE mail_outbox SET sent_at = now(), last_error = NULL, body = '', qr_token = NULL
    WHERE id = p_id AND sent_at IS NULL AND failed_at IS NULL;
$$;

-- The relay did not take it: the next attempt after p_retry_seconds,
-- doubled at each attempt (at most 6 hours), or given up after
-- p_max_attempts, or at once when p_permanent (a mail that cannot be
-- written). Returns 'retry' or 'failed'.
CREATE OR REPLACE FUNCTION mail_failed(p_id bigint, p_error text, p_retry_seconds int,
                                       p_max_attempts int, p_permanent boolean)
RETURNS text
LANGUAGE sql AS $$
    UPDATE mail_outbox
    SET last_error = left(p_error, 1000),
        next_attempt_at = now() + make_interval(
            secs => least(p_retry_seconds * power(2, least(attempts - 1, 20)), 21600)),
        failed_at = CASE WHEN p_permanent OR attempts >= p_max_attempts THEN now() END,
        -- Given up: its secrets go as when sent (mail_sent).
        body = CASE WHEN p_permanent OR attempts >= p_max_attempts THEN '' ELSE body END,
        qr_token = CASE WHEN p_permanent OR attempts >= p_max_attempts THEN NULL ELSE qr_token END
    WHERE id = p_id AND sent_at IS NULL AND failed_at IS NULL
    RETURNING CASE WHEN failed_at IS NULL THEN 'retry' ELSE 'failed' END;
$$;

-- GET /api/v1/mail for admins: the queue by state and the last errors.
-- No bodies, subjects or whole addresses: the recipient's domain is what
-- tells a relay problem apart.
CREATE OR REPLACE FUNCTION api_mail_status() RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'counts', (SELECT json_build_object(
            'queued', count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL
                                        AND attempts = 0),
            'retrying', count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL
                                          AND attempts > 0),
            'sent', count(*) FILTER (WHERE sent_at IS NOT NULL),
            'failed', count(*) FILTER (WHERE failed_at IS NOT NULL),
            'oldest_waiting_at', min(created_at) FILTER (WHERE sent_at IS NULL
                                                          AND failed_at IS NULL))
            FROM mail_outbox),
        'errors', coalesce((SELECT json_agg(json_build_object(
                'id', e.id, 'kind', e.kind, 'event_id', e.event_id,
                'to_domain', split_part(e.to_addr, '@', 2), 'attempts', e.attempts,
                'last_error', e.last_error, 'created_at', e.created_at,
                'next_attempt_at', CASE WHEN e.failed_at IS NULL THEN e.next_attempt_at END,
                'failed_at', e.failed_at) ORDER BY e.id DESC)
            FROM (SELECT * FROM mail_outbox
                  WHERE last_error IS NOT NULL AND sent_at IS NULL
                  ORDER BY id DESC LIMIT 20) e), '[]'::json));
$$;
