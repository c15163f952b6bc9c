-- The vocabulary as lookup tables: each closed list of codes with its
-- Japanese and English labels and its order, like event_types. Columns
-- that hold one code get a foreign key in place of their CHECK list, so
-- adding a code is an INSERT here and one edit in common/vocab.c (which
-- tests/db/test_vocab.c holds equal to these tables).
--
-- Every lookup table has the shape of the first (LIKE … INCLUDING ALL:
-- primary key on code, unique sort_order).
--
-- registrations.categories and .accommodations are arrays, which a
-- foreign key cannot cover: their CHECK lists from 0002 stay, and
-- test_vocab.c checks that they name exactly these tables' codes.

CREATE TABLE seeker_categories (
    code text PRIMARY KEY, label_ja text NOT NULL, label_en text NOT NULL,
    sort_order int NOT NULL UNIQUE
);
INSERT INTO seeker_categories VALUES
    ('youth', '若年者(35歳未満)', 'Young people (under 35)', 1),
    ('senior', '高齢者(55歳以上)', 'Seniors (55 and over)', 2),
    ('disability', '障がい者', 'People with disabilities', 3),
    ('parenting', '子育て中の方', 'Parents raising children', 4),
    ('welfare', '生活保護受給者等', 'Welfare recipients', 5),
    ('single_parent', 'ひとり親', 'Single parents', 6);

CREATE TABLE accommodations (LIKE seeker_categories INCLUDING ALL);
INSERT INTO accommodations VALUES
    ('sign_language', '手話通訳', 'Sign language interpreting', 1),
    ('captioning', '要約筆記', 'Captioning', 2),
    ('written', '筆談', 'Written conversation', 3),
    ('wheelchair', '車いす', 'Wheelchair access', 4),
    ('braille_large_print', '点字・拡大文字', 'Braille or large print', 5),
    ('rest_breaks', '休憩への配慮', 'Rest breaks', 6),
    ('supporter', '支援者の同行', 'Accompanied by a supporter', 7),
    ('other', 'その他', 'Other', 8);

CREATE TABLE disability_handbooks (LIKE seeker_categories INCLUDING ALL);
INSERT INTO disability_handbooks VALUES
    ('physical', '身体障害者手帳', 'Physical disability certificate', 1),
    ('intellectual', '療育手帳', 'Intellectual disability certificate', 2),
    ('mental', '精神障害者保健福祉手帳', 'Mental disability certificate', 3),
    ('none', '手帳なし', 'No certificate', 4);

CREATE TABLE age_bands (LIKE seeker_categories INCLUDING ALL);
INSERT INTO age_bands VALUES
    ('under_35', '35歳未満', 'Under 35', 1),
    ('35_54', '35～54歳', '35 to 54', 2),
    ('55_64', '55～64歳', '55 to 64', 3),
    ('65_plus', '65歳以上', '65 and over', 4);

CREATE TABLE event_statuses (LIKE seeker_categories INCLUDING ALL);
INSERT INTO event_statuses VALUES
    ('draft', '準備中', 'Draft', 1),
    ('open', '受付中', 'Open', 2),
    ('closed', '終了', 'Closed', 3);

CREATE TABLE event_organizers (LIKE seeker_categories INCLUDING ALL);
INSERT INTO event_organizers VALUES
    ('city', '市', 'City', 1),
    ('hellowork', 'ハローワーク', 'Hello Work', 2),
    ('joint', '共催', 'Joint', 3);

CREATE TABLE participation_statuses (LIKE seeker_categories INCLUDING ALL);
INSERT INTO participation_statuses VALUES
    ('applied', '申込', 'Applied', 1),
    ('confirmed', '参加確定', 'Confirmed', 2),
    ('cancelled', 'キャンセル', 'Cancelled', 3);

CREATE TABLE registration_statuses (LIKE seeker_categories INCLUDING ALL);
INSERT INTO registration_statuses VALUES
    ('registered', '登録', 'Registered', 1),
    ('cancelled', 'キャンセル', 'Cancelled', 2);

CREATE TABLE interview_outcomes (LIKE seeker_categories INCLUDING ALL);
INSERT INTO interview_outcomes VALUES
    ('pending', '結果待ち', 'Pending', 1),
    ('offer', '内定', 'Offer', 2),
    ('hired', '採用', 'Hired', 3),
    ('declined', '辞退', 'Declined', 4),
    ('withdrawn', '取下げ', 'Withdrawn', 5);

CREATE TABLE employment_types (LIKE seeker_categories INCLUDING ALL);
INSERT INTO employment_types VALUES
    ('正社員', '正社員', 'Regular employee', 1),
    ('契約社員', '契約社員', 'Contract employee', 2),
    ('パート', 'パート', 'Part-time', 3),
    ('アルバイト', 'アルバイト', 'Casual', 4),
    ('派遣', '派遣', 'Agency worker', 5),
    ('嘱託', '嘱託', 'Non-regular staff', 6),
    ('その他', 'その他', 'Other', 7);

CREATE TABLE scan_results (LIKE seeker_categories INCLUDING ALL);
INSERT INTO scan_results VALUES
    ('checked_in', '受付済', 'checked in', 1),
    ('already_checked_in', '受付済(重複)', 'already checked in', 2),
    ('unknown_token', '不明なコード', 'unknown', 3),
    ('wrong_event', '別のイベント', 'wrong event', 4),
    ('cancelled', 'キャンセル済', 'cancelled', 5);

CREATE TABLE metric_kinds (LIKE seeker_categories INCLUDING ALL);
INSERT INTO metric_kinds VALUES
    ('counted', 'イベントから集計', 'Counted from events', 1),
    ('entered', '入力', 'Entered', 2);

-- A plan figure and its unit. plan_metrics.figures is an array: its
-- CHECK (plan_metrics_unit) stays.
CREATE TABLE figure_units (LIKE seeker_categories INCLUDING ALL);
INSERT INTO figure_units VALUES
    ('companies', '社', 'companies', 1),
    ('persons', '人', 'persons', 2),
    ('cases', '件', 'cases', 3);

-- The CHECK lists give way to foreign keys; existing rows satisfied the
-- CHECKs, so the keys validate.
ALTER TABLE events
    DROP CONSTRAINT events_organizer_check,
    ADD CONSTRAINT events_organizer_fkey FOREIGN KEY (organizer) REFERENCES event_organizers (code),
    DROP CONSTRAINT events_status_check,
    ADD CONSTRAINT events_status_fkey FOREIGN KEY (status) REFERENCES event_statuses (code);
ALTER TABLE participations
    DROP CONSTRAINT participations_status_check,
    ADD CONSTRAINT participations_status_fkey FOREIGN KEY (status) REFERENCES participation_statuses (code);
ALTER TABLE openings
    DROP CONSTRAINT openings_employment_type_check,
    ADD CONSTRAINT openings_employment_type_fkey FOREIGN KEY (employment_type) REFERENCES employment_types (code);
ALTER TABLE registrations
    DROP CONSTRAINT registrations_age_band_check,
    ADD CONSTRAINT registrations_age_band_fkey FOREIGN KEY (age_band) REFERENCES age_bands (code),
    DROP CONSTRAINT registrations_disability_handbook_check,
    ADD CONSTRAINT registrations_disability_handbook_fkey FOREIGN KEY (disability_handbook) REFERENCES disability_handbooks (code),
    DROP CONSTRAINT registrations_status_check,
    ADD CONSTRAINT registrations_status_fkey FOREIGN KEY (status) REFERENCES registration_statuses (code);
ALTER TABLE scans
    DROP CONSTRAINT scans_result_check,
    ADD CONSTRAINT scans_result_fkey FOREIGN KEY (result) REFERENCES scan_results (code);
ALTER TABLE interviews
    DROP CONSTRAINT interviews_outcome_check,
    ADD CONSTRAINT interviews_outcome_fkey FOREIGN KEY (outcome) REFERENCES interview_outcomes (code);
ALTER TABLE plan_metrics
    DROP CONSTRAINT plan_metrics_kind_check,
    ADD CONSTRAINT plan_metrics_kind_fkey FOREIGN KEY (kind) REFERENCES metric_kinds (code);
