"""Flash sale load tool: N funded buyers each open a connection and, at one moment, buy one unit of a pinned flash
deal. Prints how many orders succeeded, how answers split, and the slowest answer.

Usage: flash.py BASE_URL BUYERS HOST_TOKEN MERCHANT_TOKEN UNITS
Sets up a product, a live session and a flash pin of UNITS units itself; bounded by timeouts everywhere."""
import asyncio, json, sys, time, urllib.request

BASE, BUYERS, HOST, MERCHANT, UNITS = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
HOST_PORT = BASE.rsplit(":", 1)[1]


def call(method, path, body=None, token=None):
    request = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


async def raw(method, path, body, token, timeout=30):
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", int(HOST_PORT)), timeout)
    payload = json.dumps(body).encode()
    head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
    writer.write(head + payload)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), timeout)
    writer.close()
    return int(data.split(b" ", 2)[1]), data


async def sign_up_and_fund(index, semaphore):
    async with semaphore:
        body = {"email": f"flash-{index}@bench.test", "password": "bench-password-123", "display_name": f"Buyer {index}"}
        status, data = await raw("POST", "/v1/accounts", body, "")
        token = json.loads(data.split(b"\r\n\r\n", 1)[1])["token"]
        await raw("POST", "/v1/wallet/top-ups", {"amount_cents": 10000, "method": "sandbox"}, token)
        return token


async def main():
    product = call("POST", "/v1/products", {"sku": "FLASH-1", "title": "Teekanne Flash", "price_cents": 2990,
                                            "stock": UNITS * 2, "category": "kueche"}, MERCHANT)
    session = call("POST", "/v1/live-sessions", {"title": "Flash sale"}, HOST)
    call("POST", f"/v1/live-sessions/{session['id']}/start", None, HOST)
    pin = call("POST", f"/v1/live-sessions/{session['id']}/pins",
               {"product_id": product["id"], "flash_price_cents": 990, "flash_quantity": UNITS}, HOST)
    semaphore = asyncio.Semaphore(32)
    tokens = await asyncio.gather(*(sign_up_and_fund(i, semaphore) for i in range(BUYERS)))
    order = {"items": [{"product_id": product["id"], "quantity": 1}], "live_session_id": session["id"], "pin_id": pin["id"]}
    # Open every connection first, then send all requests at once.
    connections = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", int(HOST_PORT)) for _ in tokens))
    payload = json.dumps(order).encode()
    start = time.monotonic()

    async def buy(connection, token):
        reader, writer = connection
        writer.write((f"POST /v1/orders HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                      f"Authorization: Bearer {token}\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), 30)
        writer.close()
        return int(data.split(b" ", 2)[1]), time.monotonic() - start

    results = await asyncio.gather(*(buy(c, t) for c, t in zip(connections, tokens)))
    statuses = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    latencies = sorted(latency for _, latency in results)
    after = call("GET", f"/v1/live-sessions/{session['id']}", None, None)
    remaining = next((p.get("remaining") for p in after["pins"] if p["id"] == pin["id"]), 0)
    print(json.dumps({"buyers": BUYERS, "units": UNITS, "answers": statuses, "sold": statuses.get(201, 0),
                      "remaining_after": remaining, "slowest_ms": round(latencies[-1] * 1000, 1),
                      "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
                      "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1)}))

asyncio.run(main())
