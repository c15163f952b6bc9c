-- A scan outside the event's days (checkin_on_event_day() in
-- sql/checkin.sql) is answered and logged as not_event_day.
INSERT INTO scan_results (code, label_ja, label_en, sort_order)
VALUES ('not_event_day', '開催日以外', 'not an event day', 6);
