-- Event day: who came (checkins) and every scan the desks made (scans).

-- One row per arrival. An undone check-in stays, marked, for the audit;
-- the partial unique indexes allow exactly one live check-in per
-- registration and per booth, whatever the number of desks.
CREATE TABLE checkins (
    id               bigserial PRIMARY KEY,
    event_id         bigint NOT NULL REFERENCES events (id),
    registration_id  bigint REFERENCES registrations (id),
    participation_id bigint REFERENCES participations (id),
    desk             text CHECK (length(desk) <= 50),
    scanned_at       timestamptz,
    checked_in_at    timestamptz NOT NULL DEFAULT now(),
    user_id          bigint REFERENCES users (id),
    offline          boolean NOT NULL DEFAULT false,
    undone_at        timestamptz,
    undone_by        bigint REFERENCES users (id),
    CONSTRAINT checkins_one_subject CHECK (num_nonnulls(registration_id, participation_id) = 1)
);
CREATE UNIQUE INDEX checkins_one_per_registration
    ON checkins (registration_id) WHERE undone_at IS NULL AND registration_id IS NOT NULL;
CREATE UNIQUE INDEX checkins_one_per_participation
    ON checkins (participation_id) WHERE undone_at IS NULL AND participation_id IS NOT NULL;
CREATE INDEX checkins_event ON checkins (event_id) WHERE undone_at IS NULL;

-- Every scan, refused ones included, with the answer it got. The nonce a
-- desk sends makes a retried or re-uploaded scan return that same answer.
CREATE TABLE scans (
    id          bigserial PRIMARY KEY,
    event_id    bigint NOT NULL REFERENCES events (id),
    nonce       text NOT NULL UNIQUE CHECK (length(nonce) BETWEEN 8 AND 100),
    token       text CHECK (length(token) <= 200),
    desk        text CHECK (length(desk) <= 50),
    scanned_at  timestamptz,
    received_at timestamptz NOT NULL DEFAULT now(),
    user_id     bigint REFERENCES users (id),
    offline     boolean NOT NULL DEFAULT false,
    result      text NOT NULL CHECK (result IN
        ('checked_in', 'already_checked_in', 'unknown_token', 'wrong_event', 'cancelled')),
    checkin_id  bigint REFERENCES checkins (id),
    response    jsonb NOT NULL
);
CREATE INDEX scans_event ON scans (event_id, received_at);
