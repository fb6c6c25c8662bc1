-- Runs of the background jobs (JobRuns.cs), written by the job runner of the node holding the job-runner lease: one row
-- per run, its progress updated while it runs. Times are Unix milliseconds. Runs that found nothing to do are not kept.
CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL,
    node TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    finished_ms INTEGER NULL,
    status TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    message TEXT NULL
);
CREATE INDEX job_runs_job ON job_runs (job, id);
