-- Background jobs (SPEC §6): a queue claimed with FOR UPDATE SKIP LOCKED,
-- announced with NOTIFY, and the scheduler's ledger of slots.

CREATE TABLE jobs (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    state text NOT NULL DEFAULT 'queued',
    -- Attempts started so far: a claim counts as one.
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 5,
    -- Not before this time (the first attempt, or the next retry).
    run_at timestamptz NOT NULL,
    dedup_key text,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    -- The worker that holds (or last held) the job.
    locked_by text,
    -- While running: the lease, and the token of the claim that holds it.
    locked_until timestamptz,
    lease_token uuid,
    CONSTRAINT jobs_state_check
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled')),
    CONSTRAINT jobs_attempts_check CHECK (attempts >= 0 AND max_attempts >= 1),
    CONSTRAINT jobs_lease_check
        CHECK ((state = 'running') = (locked_until IS NOT NULL AND lease_token IS NOT NULL))
);

-- Claiming: due jobs in run_at order.
CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE state IN ('queued', 'failed');
-- Reaping: running jobs whose lease has expired.
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE state = 'running';
-- Admin listings by state (newest first), counts, and the purge.
CREATE INDEX jobs_state_idx ON jobs (state, id);
-- A key is unique among live jobs of a kind only: it can be used again
-- once its job is over.
CREATE UNIQUE INDEX jobs_dedup_key_live_idx ON jobs (kind, dedup_key)
    WHERE dedup_key IS NOT NULL AND state IN ('queued', 'running', 'failed');

-- Workers LISTEN on shoebox_jobs. A notification is sent at commit, so a
-- job inserted inside a longer transaction is announced once it is visible;
-- identical payloads within one transaction are folded into one.
CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shoebox_jobs', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs
    FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE FUNCTION jobs_notify();
CREATE TRIGGER jobs_notify_requeue AFTER UPDATE OF state ON jobs
    FOR EACH ROW WHEN (NEW.state = 'queued' AND OLD.state <> 'queued')
    EXECUTE FUNCTION jobs_notify();

-- One row per (task, slot) the scheduler has enqueued, whichever replica did.
CREATE TABLE schedule_slots (
    task text NOT NULL,
    slot timestamptz NOT NULL,
    job_id uuid,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task, slot)
);
