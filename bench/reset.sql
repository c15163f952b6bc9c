-- Between check-in runs: this year's check-ins and scans go, last year's
-- stay as history, and the run starts just after a checkpoint, so each
-- run pays the same page images; the minimal transaction's log
-- (bench/checkin_min.pgbench, tables made by bench_min_setup in
-- bench/lib.sh) starts empty too. psql -v first_event=N.
--
-- With replication role "replica" the foreign-key triggers do not fire:
-- both sides go together here, and without it every deleted check-in
-- had the scans table searched for rows naming it (no index serves
-- scans.checkin_id; the application never deletes a check-in), which
-- made one reset take minutes.
SET session_replication_role = replica;
DELETE FROM scans WHERE event_id BETWEEN :first_event AND :first_event + 9;
DELETE FROM checkins WHERE event_id BETWEEN :first_event AND :first_event + 9;
-- The tallies the deleted check-ins had added (no trigger fired).
DELETE FROM checkin_tallies WHERE event_id BETWEEN :first_event AND :first_event + 9;
RESET session_replication_role;
TRUNCATE bench_min_log;
VACUUM ANALYZE checkins, scans, checkin_tallies, bench_min_subject, bench_min_log;
CHECKPOINT;
