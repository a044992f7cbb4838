#!/usr/bin/env python3
"""Helper of bench/fanout.sh.

  seed DB HOST_ID FOLLOWERS STREAMS TOKENS_FILE   writes followers, their follows and STREAMS tokens into DB
  run PORT DB HOST_TOKEN SESSION FOLLOWERS TOKENS_FILE
      opens one account stream per token, starts the session, and prints one JSON line: ms from the start request
      to the last inbox item committed (polled every 20 ms) and to the last stream's inbox.created (p50, p99, max)

Every wait is bounded (streams 120 s to open, 120 s for the items and events)."""
import asyncio, hashlib, json, os, secrets, sqlite3, sys, time, urllib.request


def seed(db_path, host, followers, streams, tokens_file):
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    ids = [f"acct_bench{i:07d}" for i in range(followers)]
    db.executemany("INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, '!', 'F', 0)",
                   ((a, f"{a}@bench.test") for a in ids))
    db.executemany("INSERT INTO follows (follower_id, host_id, created_at) VALUES (?, ?, 0)", ((a, host) for a in ids))
    tokens = []
    # STREAM_SPREAD=1 gives every (followers/streams)-th follower a stream, so they sit on every page of the fan-out;
    # by default they are the first followers in page order.
    holders = ids[::max(1, followers // streams)][:streams] if os.environ.get("STREAM_SPREAD") == "1" else ids[:streams]
    for a in holders:
        token = secrets.token_hex(32)
        tokens.append(token)
        db.execute("INSERT INTO access_tokens (token_hash, account_id, created_at) VALUES (?, ?, 0)",
                   (hashlib.sha256(token.encode()).digest(), a))
    db.commit()
    db.close()
    with open(tokens_file, "w") as f:
        f.write("\n".join(tokens))


async def stream(port, token, opened, arrivals, started):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write(f"GET /v1/me/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    await writer.drain()
    await reader.readuntil(b"\r\n\r\n")
    opened.append(1)
    buf = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return
        buf += chunk
        if b"event: inbox.created" in buf:
            arrivals.append(time.perf_counter() - started[0])
            writer.close()
            return


async def run(port, db_path, host_token, session, followers, tokens_file):
    tokens = [t for t in open(tokens_file).read().split("\n") if t]
    opened, arrivals, started = [], [], [0.0]
    tasks = []
    for i in range(0, len(tokens), 500):
        tasks += [asyncio.create_task(stream(port, t, opened, arrivals, started)) for t in tokens[i:i + 500]]
        await asyncio.sleep(0.05)
    deadline = time.time() + 120
    while len(opened) < len(tokens) and time.time() < deadline:
        await asyncio.sleep(0.05)
    db = sqlite3.connect(db_path)
    started[0] = time.perf_counter()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/live-sessions/{session}/start", data=b"{}", method="POST",
                                 headers={"Authorization": f"Bearer {host_token}", "Content-Type": "application/json"})
    await asyncio.get_running_loop().run_in_executor(None, lambda: urllib.request.urlopen(req).read())
    items_ms = None
    deadline = time.time() + 120
    while time.time() < deadline:
        count = db.execute("SELECT COUNT(*) FROM inbox_items WHERE rule = 'host_live'").fetchone()[0]
        if count >= followers and items_ms is None:
            items_ms = (time.perf_counter() - started[0]) * 1000
        if items_ms is not None and len(arrivals) >= len(tokens):
            break
        await asyncio.sleep(0.02)
    for t in tasks:
        t.cancel()
    a = sorted(x * 1000 for x in arrivals)
    pick = lambda q: round(a[min(len(a) - 1, int(len(a) * q))], 1) if a else None
    print(json.dumps({"followers": followers, "streams": len(tokens), "streams_open": len(opened),
                      "items_committed_ms": None if items_ms is None else round(items_ms, 1),
                      "streams_received": len(a), "stream_p50_ms": pick(0.5), "stream_p99_ms": pick(0.99),
                      "stream_max_ms": round(a[-1], 1) if a else None}))


if sys.argv[1] == "seed":
    seed(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
else:
    asyncio.run(run(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7]))
