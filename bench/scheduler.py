#!/usr/bin/env python3
"""Delay detection over many open shipments (issue 15): one scheduler pass finds the due shipments by the index on
scheduled_jobs(due_at), so it costs the same with 1,000 or 1,000,000 shipments not yet due.

Builds the scheduler's table exactly as migration 0011 does, fills it with N future delay checks plus 50 due ones,
and times the two statements a pass runs (Sources/Storage/Outbox/Scheduler.swift: the MIN(due_at) probe and the
ordered batch of due rows) with SQLite's own engine, median of many repetitions. Also prints the query plans.
Usage: bench/scheduler.py [N ...]   (default 1000 1000000)
"""
import os, sqlite3, statistics, sys, tempfile, time

SCHEMA = """
CREATE TABLE scheduled_jobs (kind TEXT NOT NULL, key TEXT NOT NULL, due_at INTEGER NOT NULL, data TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, key));
CREATE INDEX scheduled_jobs_by_due ON scheduled_jobs(due_at);
"""
NOW = 1_800_000_000
PROBE = "SELECT MIN(due_at) FROM scheduled_jobs"
BATCH = "SELECT * FROM scheduled_jobs WHERE due_at <= ? ORDER BY due_at, kind, key LIMIT 200"


def measure(n):
    path = tempfile.mktemp(suffix=".sqlite")
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=WAL;" + SCHEMA)
    rows = ((f"shipment.delay_check", f"shp_{i:08d}", NOW + 86_400 + i % 2_000_000, "{}") for i in range(n))
    db.executemany("INSERT INTO scheduled_jobs (kind, key, due_at, data) VALUES (?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO scheduled_jobs (kind, key, due_at, data) VALUES (?, ?, ?, ?)",
                   ((f"shipment.delay_check", f"due_{i}", NOW - i, "{}") for i in range(50)))
    db.commit()
    plans = [r[3] for q in (PROBE, BATCH) for r in db.execute("EXPLAIN QUERY PLAN " + q, () if q == PROBE else (NOW,))]
    timings = []
    for _ in range(2000):
        t = time.perf_counter()
        db.execute(PROBE).fetchone()
        db.execute(BATCH, (NOW,)).fetchall()
        timings.append(time.perf_counter() - t)
    db.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return statistics.median(timings) * 1e6, sorted(timings)[int(len(timings) * 0.99)] * 1e6, plans


for n in [int(a) for a in sys.argv[1:]] or [1000, 1_000_000]:
    median, p99, plans = measure(n)
    print(f"{n:>9} not due + 50 due: one pass median {median:.1f} µs, p99 {p99:.1f} µs; plans: {'; '.join(plans)}")
