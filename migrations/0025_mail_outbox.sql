-- Mail waiting to be sent (confirmations to people who applied on the
-- public forms, answers to companies). A row is written in the same
-- transaction as what it tells of, so a mail is never promised for an
-- application that was rolled back; jobfaird sends it later, off the
-- request, and retries until the relay takes it or the attempts run out.
CREATE TABLE mail_outbox (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    event_id bigint REFERENCES events(id) ON DELETE CASCADE,
    to_addr text NOT NULL CHECK (length(to_addr) BETWEEN 3 AND 254),
    subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body text NOT NULL CHECK (length(body) <= 20000),
    -- A check-in token whose QR code goes with the mail as a PNG.
    qr_token text CHECK (length(qr_token) <= 64),
    created_at timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error text CHECK (length(last_error) <= 1000),
    sent_at timestamptz,
    failed_at timestamptz,
    CHECK (sent_at IS NULL OR failed_at IS NULL)
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
