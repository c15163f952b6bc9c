-- The organizers' data: event types, events with targets, companies and
-- their booths and openings, job seekers' registrations. Every rule the
-- system promises is a constraint here, not only a check in C.

-- Japanese fiscal year (April to March) of an instant, in Japan's time.
CREATE FUNCTION fiscal_year(ts timestamptz) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN extract(month FROM ts AT TIME ZONE 'Asia/Tokyo') >= 4
                THEN extract(year FROM ts AT TIME ZONE 'Asia/Tokyo')::int
                ELSE extract(year FROM ts AT TIME ZONE 'Asia/Tokyo')::int - 1
           END;
$$;

-- The era label of a fiscal year, by lookup as the plan writes it: FY2019
-- straddles the change of era and is 平成31年度(令和元年度).
CREATE FUNCTION fiscal_year_label(fy int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN fy = 2019 THEN '平成31年度(令和元年度)'
        WHEN fy = 1989 THEN '平成元年度'
        WHEN fy > 2019 THEN '令和' || (fy - 2018) || '年度'
        WHEN fy > 1989 THEN '平成' || (fy - 1988) || '年度'
    END;
$$;

-- 法人番号: the first digit checks the other twelve (DOMAIN.md).
CREATE FUNCTION corporate_number_valid(n text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT n ~ '^[0-9]{13}$' AND substr(n, 1, 1)::int = 9 - (
        SELECT sum(substr(n, 14 - i, 1)::int * CASE WHEN i % 2 = 1 THEN 1 ELSE 2 END)
        FROM generate_series(1, 12) AS i) % 9;
$$;

CREATE TABLE event_types (
    code          text PRIMARY KEY,
    name_ja       text NOT NULL,
    name_en       text NOT NULL,
    has_companies boolean NOT NULL,
    sort_order    int NOT NULL
);
INSERT INTO event_types VALUES
    ('joint_interview_fair', '合同就職面接会', 'Joint interview fair', true, 1),
    ('disability_interview_fair', '障がい者雇用合同面接会', 'Disability employment fair', true, 2),
    ('senior_company_meeting', 'アクティブシニアのための企業面談会', 'Company meeting for active seniors', true, 3),
    ('childcare_mini_interview', '保育ミニ面接会', 'Childcare mini-interviews', true, 4),
    ('medical_welfare_fair', '医療・福祉の合同就職面接会', 'Medical and welfare fair', true, 5),
    ('senior_seminar', 'アクティブシニア・セカンドライフ応援セミナー', 'Second-life seminar for active seniors', false, 6),
    ('reemployment_seminar', '再就職準備セミナー', 'Re-employment preparation seminar', false, 7),
    ('company_mini_interview', 'ミニ面接会', 'Mini-interviews for relocated companies', true, 8);

CREATE TABLE events (
    id               bigserial PRIMARY KEY,
    type             text NOT NULL REFERENCES event_types (code),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    venue            text CHECK (length(venue) <= 200),
    capacity         int CHECK (capacity >= 0),
    target_companies int CHECK (target_companies >= 0),
    target_seekers   int CHECK (target_seekers >= 0),
    organizer        text NOT NULL CHECK (organizer IN ('city', 'hellowork', 'joint')),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    fiscal_year      int GENERATED ALWAYS AS (fiscal_year(starts_at)) STORED,
    -- Kept by a trigger on registrations; the CHECK is what stops an
    -- over-booking, even under concurrent registrations.
    registered_count int NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_ends_after_start CHECK (ends_at > starts_at),
    CONSTRAINT events_capacity CHECK (capacity IS NULL OR registered_count <= capacity)
);
CREATE INDEX events_fiscal_year ON events (fiscal_year, type);

CREATE TABLE companies (
    id                   bigserial PRIMARY KEY,
    corporate_number     text UNIQUE CHECK (corporate_number_valid(corporate_number)),
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_kana            text CHECK (name_kana ~ '^[ァ-ヿ ]+$'),
    industry             text CHECK (length(industry) <= 100),
    postal_code          text CHECK (postal_code ~ '^[0-9]{7}$'),
    address              text CHECK (length(address) <= 300),
    phone                text CHECK (phone ~ '^0[0-9]{9,10}$'),
    contact_name         text CHECK (length(contact_name) <= 100),
    email                text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    establishment_number text CHECK (establishment_number ~ '^[0-9]{4}-[0-9]{6}-[0-9]$'),
    -- NFKC, spaces removed: what searches and duplicate checks compare.
    search_key           text GENERATED ALWAYS AS (
        replace(replace(normalize(name || coalesce(name_kana, ''), NFKC), ' ', ''), '　', '')) STORED,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- A company's booth at an event.
CREATE TABLE participations (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events (id),
    company_id      bigint NOT NULL REFERENCES companies (id),
    status          text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'confirmed', 'cancelled')),
    booth           text CHECK (length(booth) <= 50),
    representatives int CHECK (representatives BETWEEN 0 AND 50),
    checkin_token   text UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, company_id)
);

CREATE TABLE openings (
    id               bigserial PRIMARY KEY,
    participation_id bigint NOT NULL REFERENCES participations (id) ON DELETE CASCADE,
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    employment_type  text NOT NULL CHECK (employment_type IN
        ('正社員', '契約社員', 'パート', 'アルバイト', '派遣', '嘱託', 'その他')),
    job_number       text CHECK (job_number ~ '^[0-9]{5}-[0-9]{1,8}$'),
    count            int NOT NULL DEFAULT 1 CHECK (count BETWEEN 1 AND 999)
);
CREATE INDEX openings_participation ON openings (participation_id);

-- A job seeker's registration for one event. Personal columns become NULL
-- when the retention period ends (purged_at); the anonymous facts stay.
CREATE TABLE registrations (
    id                  bigserial PRIMARY KEY,
    event_id            bigint NOT NULL REFERENCES events (id),
    name                text CHECK (length(name) BETWEEN 1 AND 100),
    name_kana           text CHECK (name_kana ~ '^[ァ-ヿ ]+$'),
    birth_date          date CHECK (birth_date > '1900-01-01'),
    age                 int CHECK (age BETWEEN 15 AND 120),
    -- Fixed at registration so reports survive the purge of birth dates.
    age_band            text CHECK (age_band IN ('under_35', '35_54', '55_64', '65_plus')),
    phone               text CHECK (phone ~ '^0[0-9]{9,10}$'),
    email               text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    categories          text[] NOT NULL DEFAULT '{}' CHECK (categories <@
        ARRAY['youth', 'senior', 'disability', 'parenting', 'welfare', 'single_parent']),
    disability_handbook text CHECK (disability_handbook IN ('physical', 'intellectual', 'mental', 'none')),
    accommodations      text[] NOT NULL DEFAULT '{}' CHECK (accommodations <@
        ARRAY['sign_language', 'captioning', 'written', 'wheelchair',
              'braille_large_print', 'rest_breaks', 'supporter', 'other']),
    accommodation_note  text CHECK (length(accommodation_note) <= 1000),
    supporters          int NOT NULL DEFAULT 0 CHECK (supporters BETWEEN 0 AND 10),
    consent_at          timestamptz NOT NULL,
    status              text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'cancelled')),
    walk_in             boolean NOT NULL DEFAULT false,
    checkin_token       text UNIQUE,
    -- Who this is, for "the same person twice": katakana name without
    -- spaces plus birth date, else phone, else e-mail.
    person_key          text,
    -- Kana and phone, normalised, for the desk's lookup without a QR code.
    search_key          text,
    purged_at           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    cancelled_at        timestamptz,
    CONSTRAINT registrations_age_or_birth CHECK (purged_at IS NOT NULL OR birth_date IS NULL OR age IS NULL)
);
CREATE UNIQUE INDEX registrations_one_per_person
    ON registrations (event_id, person_key) WHERE status = 'registered';
CREATE INDEX registrations_event ON registrations (event_id, id);

-- Keeps events.registered_count, so the capacity CHECK sees every
-- registered row. The row lock on the event serialises registrations.
CREATE FUNCTION registrations_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    delta int := 0;
BEGIN
    IF TG_OP = 'INSERT' THEN
        delta := CASE WHEN NEW.status = 'registered' THEN 1 ELSE 0 END;
    ELSIF OLD.status <> NEW.status THEN
        delta := CASE WHEN NEW.status = 'registered' THEN 1 ELSE -1 END;
    END IF;
    IF delta <> 0 THEN
        UPDATE events SET registered_count = registered_count + delta
        WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER registrations_count
    AFTER INSERT OR UPDATE OF status ON registrations
    FOR EACH ROW EXECUTE FUNCTION registrations_count();
