-- The desk's lookups and check-ins by id are limited per user and
-- minute, counted from the audit log (lookup_rate_check() in
-- sql/checkin.sql). This index holds only those rows, so the count reads
-- a handful of entries and other audit rows cost nothing more.
CREATE INDEX audit_log_lookups ON audit_log (user_id, at)
    WHERE action = 'lookup' OR (action = 'checkin' AND detail ? 'by_id');
