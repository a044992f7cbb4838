#!/usr/bin/env python3
"""Live-session load: N open event streams on one session, pin latency to the last stream, memory per stream and
the CPU cost of a like storm. Non-blocking sockets on epoll, one thread reading every stream; a second thread acts
as the host. Run by bench/live.sh, which starts Basar and creates the session.

  live_load.py PORT PID SESSION_ID HOST_TOKEN PRODUCT_ID LIKER_TOKEN STREAMS PINS LIKE_SECONDS LIKES_LUA

Prints one line of JSON: streams, opened, rss_before_kib, rss_after_kib, kib_per_stream, pin_ms (list of
pin-to-last-stream latencies), pin_p50_ms, pin_p99_ms, first_ms (pin-to-first-stream), likes (answers and rate),
like_cpu_s (server CPU seconds), like_cpu_us (per like), missed (streams that never saw a pin).
"""
import http.client, json, os, re, select, socket, statistics, subprocess, sys, threading, time

port, pid, session, host_token, product, liker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
n_streams, n_pins, like_seconds, likes_lua = int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]), sys.argv[10]
DEADLINE = time.monotonic() + 600  # the whole run is bounded


def rss_kib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def cpu_seconds():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def host_call(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, json.dumps(body) if body is not None else None,
                 {"Content-Type": "application/json", "Authorization": "Bearer " + host_token})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status >= 300:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None


epoll = select.epoll()
streams = {}  # fd -> [socket, header_seen, pin_seen_time, tail]
request = (f"GET /v1/live-sessions/{session}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Accept: text/event-stream\r\n\r\n").encode()
MARK = b"event: pin.added"
current_pin = [None]  # the pin whose arrival is being timed
arrivals = {}         # fd -> time the current pin arrived
lock = threading.Lock()


def drain(timeout):
    for fd, mask in epoll.poll(timeout):
        entry = streams.get(fd)
        if entry is None:
            continue
        try:
            chunk = entry[0].recv(65536)
        except BlockingIOError:
            continue
        except OSError:
            chunk = b""
        if not chunk:
            epoll.unregister(fd)
            entry[0].close()
            del streams[fd]
            continue
        now = time.monotonic()
        if not entry[1]:
            if not chunk.startswith(b"HTTP/1.1 200"):
                raise SystemExit("stream refused: " + chunk[:200].decode(errors="replace"))
            entry[1] = True
        tail = entry[3]
        data = tail + chunk
        # Only a marker that ends in the new bytes counts (the tail holds the end of the previous read, so a
        # marker split across two reads is still found, and an old one is never counted again).
        if current_pin[0] is not None and data.find(MARK, max(0, len(tail) - len(MARK) + 1)) >= 0:
            arrivals.setdefault(fd, now)
        entry[3] = data[-(len(MARK) - 1):]


def open_streams(n):
    opened = 0
    while opened < n:
        batch = min(500, n - opened)
        for _ in range(batch):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
            s.connect(("127.0.0.1", port))
            s.sendall(request)
            s.setblocking(False)
            streams[s.fileno()] = [s, False, None, b""]
            epoll.register(s.fileno(), select.EPOLLIN)
        opened += batch
        end = time.monotonic() + 10
        while sum(1 for e in streams.values() if e[1]) < opened and time.monotonic() < end:
            drain(0.05)
    return sum(1 for e in streams.values() if e[1])


def idle(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        drain(0.05)


rss_before = rss_kib()
opened = open_streams(n_streams)
idle(2)
rss_after = rss_kib()

# Pins: the host thread posts a pin; this thread times its arrival on every stream.
latencies, firsts, missed = [], [], 0
for k in range(n_pins):
    if time.monotonic() > DEADLINE:
        break
    arrivals.clear()
    current_pin[0] = "*"
    result = {}

    def pin():
        result["t0"] = time.monotonic()
        result["pin"] = host_call("POST", f"/v1/live-sessions/{session}/pins", {"product_id": product})["id"]
    t = threading.Thread(target=pin)
    t.start()
    end = time.monotonic() + 10
    while len(arrivals) < len(streams) and time.monotonic() < end:
        drain(0.01)
    t.join()
    if arrivals:
        latencies.append((max(arrivals.values()) - result["t0"]) * 1000)
        firsts.append((min(arrivals.values()) - result["t0"]) * 1000)
    missed += len(streams) - len(arrivals)
    current_pin[0] = None
    host_call("DELETE", f"/v1/live-sessions/{session}/pins/{result['pin']}")
    idle(0.3)

# The like storm: wrk posts likes while every stream stays open and is read.
cpu0, t0 = cpu_seconds(), time.monotonic()
storm = subprocess.Popen(["wrk", "-t1", "-c16", f"-d{like_seconds}s", "-s", likes_lua,
                          f"http://127.0.0.1:{port}", "--", session, liker],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
while storm.poll() is None and time.monotonic() < DEADLINE:
    drain(0.05)
output = storm.communicate(timeout=30)[0]
cpu1, t1 = cpu_seconds(), time.monotonic()
counted = re.search(r"(\d+) requests in", output)
if not counted:
    raise SystemExit("the like storm failed: " + output[-500:])
like_requests = int(counted.group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)


def pct(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


print(json.dumps({
    "streams": n_streams, "opened": opened, "open_at_end": len(streams),
    "rss_before_kib": rss_before, "rss_after_kib": rss_after,
    "kib_per_stream": round((rss_after - rss_before) / max(1, opened), 2),
    "pin_ms": [round(x, 1) for x in latencies], "pin_p50_ms": pct(latencies, 50), "pin_p99_ms": pct(latencies, 99),
    "first_p50_ms": pct(firsts, 50), "missed": missed,
    "likes": like_requests, "likes_non2xx": int(bad.group(1)) if bad else 0,
    "likes_per_s": round(like_requests / (t1 - t0)), "like_cpu_s": round(cpu1 - cpu0, 2),
    "like_cpu_cores": round((cpu1 - cpu0) / (t1 - t0), 2),
    "like_cpu_us": round((cpu1 - cpu0) / max(1, like_requests) * 1e6, 1),
}))
for entry in streams.values():
    entry[0].close()
