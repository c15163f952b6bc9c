-- A scan outside the event's days (checkin_on_event_day() in
-- sql/checkin.sql) is answered and logged as not_event_day.
ALTER TABLE scans DROP CONSTRAINT scans_result_check,
    ADD CONSTRAINT scans_result_check CHECK (result IN
        ('checked_in', 'already_checked_in', 'unknown_token', 'wrong_event', 'cancelled',
         'not_event_day'));
