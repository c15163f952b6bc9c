-- When an organizer last reopened a closed event (events_reopen() in
-- sql/events.sql sets it). Its counted figures were final once; every
-- change to its check-ins from then on is audited (checkin_tally()).
ALTER TABLE events ADD COLUMN reopened_at timestamptz;
