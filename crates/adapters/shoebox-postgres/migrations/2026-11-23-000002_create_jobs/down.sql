DROP TABLE schedule_slots;
DROP TRIGGER jobs_notify_requeue ON jobs;
DROP TRIGGER jobs_notify_insert ON jobs;
DROP FUNCTION jobs_notify();
DROP TABLE jobs;
