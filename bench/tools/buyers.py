#!/usr/bin/env python3
"""Sets up a checkout benchmark on a running Basar through its API and writes a Lua file for bench/lua/checkout.lua.

  buyers.py URL MERCHANT_TOKEN PRODUCTS BUYERS TOP_UPS OUT.lua

Creates PRODUCTS products (1–5 cents, stock 1,000,000,000, so neither stock nor money runs out during the runs),
signs up BUYERS accounts and funds each wallet with TOP_UPS sandbox top-ups of 100,000 cents.
"""
import http.client, json, sys, threading
from concurrent.futures import ThreadPoolExecutor

url, merchant, n_products, n_buyers, top_ups, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
host, port = url.replace("http://", "").split(":")
local = threading.local()


def call(method, path, body=None, token=None, expect=(200, 201)):
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection(host, int(port), timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    local.conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = local.conn.getresponse()
    data = r.read()
    if r.status not in expect:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None


def product(i):
    return call("POST", "/v1/products", {
        "sku": "CHK-%06d" % i, "title": f"Checkout Artikel {i}",
        "description": f"Ein Artikel für den Checkout-Benchmark, Nummer {i}.",
        "price_cents": 1 + i % 5, "stock": 1_000_000_000, "category": "bench-0"}, merchant)["id"]


def buyer(i):
    token = call("POST", "/v1/accounts", {"email": f"buyer{i}@checkout.test", "password": "bench-password-123",
                                          "display_name": f"Buyer {i}"})["token"]
    for _ in range(top_ups):
        call("POST", "/v1/wallet/top-ups", {"amount_cents": 100_000, "method": "sandbox"}, token)
    return token


with ThreadPoolExecutor(8) as pool:
    products = list(pool.map(product, range(n_products)))
    tokens = list(pool.map(buyer, range(n_buyers)))
with open(out, "w") as f:
    f.write("products = {" + ",".join(f'"{p}"' for p in products) + "}\n")
    f.write("tokens = {" + ",".join(f'"{t}"' for t in tokens) + "}\n")
