-- Live counts are announced by the server after a change commits
-- (server/stats.c), no longer by triggers: a NOTIFY inside a check-in's
-- transaction holds a database-wide lock through its commit, which put
-- every check-in behind the one before it.
DROP TRIGGER checkins_notify ON checkins;
DROP TRIGGER registrations_notify ON registrations;
DROP TRIGGER participations_notify ON participations;
DROP FUNCTION checkin_notify();
