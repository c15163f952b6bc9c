-- Revocable access links: a secret URL an organizer hands to a projector
-- PC (a read-only dashboard of one event) or to booth staff without a
-- staff account (one company's booth at one event). Only the secret's
-- SHA-256 is kept; a link works until it expires or is revoked, and
-- every use checks both (server/links.c).

CREATE TABLE access_link_kinds (LIKE seeker_categories INCLUDING ALL);
INSERT INTO access_link_kinds VALUES
    ('dashboard', '受付状況（表示のみ）', 'Dashboard (read only)', 1),
    ('booth', 'ブース', 'Booth', 2);

CREATE TABLE access_links (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL REFERENCES access_link_kinds (code),
    event_id    bigint NOT NULL REFERENCES events (id),
    -- A booth link's company, which must have a booth at the event.
    company_id  bigint,
    label       text CHECK (length(label) BETWEEN 1 AND 100),
    secret_hash text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    revoked_by  bigint REFERENCES users (id),
    CONSTRAINT access_links_booth_company CHECK ((kind = 'booth') = (company_id IS NOT NULL)),
    CONSTRAINT access_links_expire_later CHECK (expires_at > created_at),
    CONSTRAINT access_links_revoked_by CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
    FOREIGN KEY (event_id, company_id) REFERENCES participations (event_id, company_id)
);
CREATE INDEX access_links_event ON access_links (event_id);
