-- Staff sign in to the back office with a name and a password: the
-- password's Argon2id hash (libsodium's crypto_pwhash_str, which carries
-- its own salt and parameters) and the browser sessions it opens.

ALTER TABLE users ADD COLUMN password_hash text
    CHECK (password_hash LIKE '$argon2id$%' AND length(password_hash) < 256);

-- A session is a random 256-bit id in a cookie; only its SHA-256 is kept,
-- so a copy of the database opens no session.
CREATE TABLE sessions (
    id_hash    text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now(),
    address    text CHECK (length(address) <= 64)
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX audit_log_at ON audit_log (at);
