#!/usr/bin/env python3
"""The benchmark catalog: deterministic products, seeded into Basar through its API or as SQL, plus wrk Lua tables.

The same formulas are in bench/peers/hummingbird/HummingbirdPeer/Sources/HummingbirdPeer/main.swift, so the peer's
in-memory products have the shape and size of Basar's.

  catalog.py sql N OUT.sql                 INSERTs for N products with ids prd_B000000000000000…, in one transaction
  catalog.py api N URL TOKEN IDS_OUT       POST /v1/products N times (4 keep-alive connections), writes the ids
  catalog.py lua-ids IDS_FILE OUT.lua      a Lua table `ids` for wrk scripts
  catalog.py words OUT.lua                 the search queries that bench/lua/search.lua rotates through
"""
import http.client, json, sys, threading

ADJECTIVES = ["Frischer", "Alter", "Milder", "Würziger", "Bio", "Feiner", "Dunkler", "Heller", "Süßer", "Herber",
              "Klassischer", "Grüner"]
NOUNS = ["Käse", "Tee", "Kaffee", "Honig", "Schokolade", "Brot", "Apfelsaft", "Wein", "Olivenöl", "Senf", "Müsli",
         "Teekanne", "Tee-Set", "Kräuterlikör", "Nudeln", "Reis", "Joghurt", "Butter", "Marmelade", "Gewürz", "Essig",
         "Salami", "Schinken", "Kekse", "Bier"]
BRANDS = ["Alpenhof", "Bergmann", "Müller", "Sonnentau", "Nordlicht", "Waldquelle", "Hofgut", "Seeblick", "Talgrund",
          "Rheinland", "Elbtal", "Moorbach", "Heidekraut", "Donauhof", "Lindenau", "Kornblume"]
# What bench/lua/search.lua asks for: common and rare words, prefixes, accent-folded spellings, two-word queries.
QUERIES = ["kase", "tee", "kaffee", "honig", "schoko", "bio", "alpenhof", "wurziger", "tee set", "frischer kase",
           "muller", "oliven", "krauterlikor", "dunkler bier", "elbtal senf", "4711", "sonnentau tee", "marmel",
           "heller wein", "kornblume"]


def product(i):
    adjective, noun = ADJECTIVES[i % len(ADJECTIVES)], NOUNS[(i // len(ADJECTIVES)) % len(NOUNS)]
    brand = BRANDS[(i // (len(ADJECTIVES) * len(NOUNS))) % len(BRANDS)]
    other = ADJECTIVES[(i * 7 + 3) % len(ADJECTIVES)]
    return {
        "sku": "SKU-%07d" % i,
        "title": f"{adjective} {noun} von {brand}",
        "description": f"{noun} von {brand}: {other.lower()} und sorgfältig ausgewählt. Artikel {i}.",
        "price_cents": 100 + (i * 37) % 9900,
        "stock": 1_000_000,
        "category": "bench-%d" % (i % 8),
    }


def product_id(i):
    return "prd_B%015d" % i


def sql(n, out):
    def q(text):
        return "'" + text.replace("'", "''") + "'"
    with open(out, "w", encoding="utf-8") as f:
        f.write("BEGIN;\n")
        for i in range(n):
            p = product(i)
            created = 1795000000 + i  # 2026-11-18…, distinct so "newest first" is well defined
            f.write("INSERT INTO products (id, sku, title, description, price_cents, stock, category, image_url, active,"
                    " created_at, updated_at) VALUES (%s, %s, %s, %s, %d, %d, %s, NULL, 1, %d, %d);\n" % (
                        q(product_id(i)), q(p["sku"]), q(p["title"]), q(p["description"]), p["price_cents"], p["stock"],
                        q(p["category"]), created, created))
        f.write("COMMIT;\n")


def api(n, url, token, ids_out):
    host, port = url.replace("http://", "").split(":")
    ids, errors, lock = [None] * n, [], threading.Lock()

    def worker(start):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for i in range(start, n, 4):
            body = json.dumps(product(i))
            conn.request("POST", "/v1/products", body, {"Content-Type": "application/json",
                                                         "Authorization": "Bearer " + token})
            r = conn.getresponse()
            data = r.read()
            if r.status != 201:
                with lock:
                    errors.append((r.status, data[:200]))
                return
            ids[i] = json.loads(data)["id"]
    threads = [threading.Thread(target=worker, args=(s,)) for s in range(4)]
    for t in threads: t.start()
    for t in threads: t.join()
    if errors:
        sys.exit("seeding failed: %r" % errors[:3])
    with open(ids_out, "w") as f:
        f.write("\n".join(ids) + "\n")


def lua_ids(ids_file, out):
    ids = [line.strip() for line in open(ids_file) if line.strip()]
    with open(out, "w") as f:
        f.write("ids = {" + ",".join('"%s"' % i for i in ids) + "}\n")


def words(out):
    from urllib.parse import quote
    with open(out, "w") as f:
        f.write("queries = {" + ",".join('"%s"' % quote(w) for w in QUERIES) + "}\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "sql": sql(int(sys.argv[2]), sys.argv[3])
    elif cmd == "api": api(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    elif cmd == "lua-ids": lua_ids(sys.argv[2], sys.argv[3])
    elif cmd == "words": words(sys.argv[2])
    else: sys.exit(__doc__)
