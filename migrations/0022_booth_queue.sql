-- The waiting queue at each booth (the digital 面談カード): a job seeker
-- scanned at a booth waits, is called (呼び出し), and is then marked
-- interviewed (面談済み, with the interview recorded) or absent (不在).
-- The promises are constraints here, not code:
--   - a seeker waits (or is called) at most once in a given queue: the
--     partial unique index queue_entries_active; once done or absent they
--     may queue again;
--   - a seeker may wait in several queues, but is called at one booth at a
--     time: queue_entries_one_call;
--   - a request's nonce acts once: queue_actions' primary key.
-- A queue entry's state, with its labels (common/vocab.c's copy).
CREATE TABLE queue_states (LIKE seeker_categories INCLUDING ALL);
INSERT INTO queue_states VALUES
    ('waiting', '待ち', 'waiting', 1),
    ('called', '呼び出し中', 'called', 2),
    ('done', '面談済み', 'interviewed', 3),
    ('absent', '不在', 'absent', 4);

CREATE TABLE queue_entries (
    id               bigserial PRIMARY KEY,
    event_id         bigint NOT NULL REFERENCES events (id),
    participation_id bigint NOT NULL REFERENCES participations (id),
    registration_id  bigint NOT NULL REFERENCES registrations (id),
    state            text NOT NULL DEFAULT 'waiting' REFERENCES queue_states (code),
    interview_id     bigint REFERENCES interviews (id),
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    called_at        timestamptz,
    finished_at      timestamptz,
    created_by       bigint REFERENCES users (id),
    called_by        bigint REFERENCES users (id),
    finished_by      bigint REFERENCES users (id),
    CHECK (CASE state WHEN 'waiting' THEN called_at IS NULL AND finished_at IS NULL
                      WHEN 'called' THEN called_at IS NOT NULL AND finished_at IS NULL
                      ELSE finished_at IS NOT NULL END),
    CHECK (state <> 'done' OR interview_id IS NOT NULL)
);
CREATE UNIQUE INDEX queue_entries_active ON queue_entries (participation_id, registration_id)
    WHERE state IN ('waiting', 'called');
CREATE UNIQUE INDEX queue_entries_one_call ON queue_entries (registration_id)
    WHERE state = 'called';
-- The next to call, and the waiting counts of the stats.
CREATE INDEX queue_entries_waiting ON queue_entries (participation_id, id)
    WHERE state = 'waiting';

-- Every queue request's nonce, claimed first thing in its transaction: a
-- retry (or a twin racing it) waits on the key, then finds what the
-- first did and answers the same without acting again. No personal data
-- here; answers are rebuilt from the entry.
CREATE TABLE queue_actions (
    nonce            text PRIMARY KEY CHECK (length(nonce) BETWEEN 8 AND 100),
    kind             text NOT NULL CHECK (kind IN ('enqueue', 'call', 'done', 'absent')),
    participation_id bigint NOT NULL REFERENCES participations (id),
    registration_id  bigint REFERENCES registrations (id),
    entry_id         bigint REFERENCES queue_entries (id),
    result           text,
    user_id          bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
