-- Public application forms (申込フォーム): an organizer opens an event to
-- applications from the public until a deadline; the purpose statement
-- (利用目的) per event type, versioned, and the version a person
-- consented to; each application's private receipt and cancellation.
ALTER TABLE events
    ADD COLUMN public_open boolean NOT NULL DEFAULT false,
    ADD COLUMN public_deadline timestamptz,
    -- 持ち物 shown on the public page.
    ADD COLUMN public_bring text CHECK (length(public_bring) <= 500);

-- A new row on each edit; the newest version of a type is the one shown.
CREATE TABLE purpose_statements (
    id bigserial PRIMARY KEY,
    event_type text NOT NULL REFERENCES event_types (code),
    version int NOT NULL CHECK (version >= 1),
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_type, version)
);

INSERT INTO purpose_statements (event_type, version, body)
SELECT code, 1,
'【個人情報の利用目的】
山口市とハローワーク山口は、この申込みでお預かりするお名前・フリガナ・年齢または生年月日・電話番号・メールアドレス・区分・必要な配慮を、この催しの受付、当日のご案内と配慮の準備、参加者数の集計（個人が分からない形）にだけ使います。
見る人：催しを担当する市とハローワークの職員、当日の受付係（お名前と受付番号のみ）。
保管期間：催しの年度が終わった後、定められた時期に消去します。
お問い合わせ：山口市 経済産業部 商工振興課（083-934-2814）'
FROM event_types;

-- One row per application made on the public form. A person who applied
-- before (the one-per-person rule refused the row) gets a receipt too,
-- without a registration, so that no answer tells an outsider whether
-- someone is registered: its own number and code, shown the same way.
CREATE TABLE public_receipts (
    id bigserial PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    registration_id bigint UNIQUE REFERENCES registrations (id),
    -- SHA-256 of the receipt's secret (in its link) and of the
    -- cancellation secret derived from it; never the secrets themselves.
    secret_hash text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    cancel_hash text NOT NULL UNIQUE CHECK (cancel_hash ~ '^[0-9a-f]{64}$'),
    purpose_id bigint NOT NULL REFERENCES purpose_statements (id),
    -- Only for a receipt without a registration: what its 受付票 shows.
    number bigint NOT NULL,
    token text,
    name text CHECK (length(name) <= 100),
    name_kana text CHECK (length(name_kana) <= 100),
    cancel_expires_at timestamptz NOT NULL,
    cancelled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_receipts_event ON public_receipts (event_id);

-- The version of the purpose statement a registration consented to.
ALTER TABLE registrations
    ADD COLUMN purpose_id bigint REFERENCES purpose_statements (id);
