#!/usr/bin/env python3
"""Benchmark orders for the item-to-item build (issue 22): deterministic accounts, orders and order lines over the
products of `catalog.py sql`, written as SQL for the sqlite3 CLI, plus the Lua table of product ids wrk asks for.

  orders.py sql PRODUCTS LINES NOW OUT.sql   LINES order lines in orders of 1–6 products, one category per order,
                                             popular products more often (u³ skew), placed over the 60 days before NOW;
                                             3% fully refunded, 5% partly
  orders.py lua-ids PRODUCTS N OUT.lua       N product ids, drawn with the same skew as the orders (what shoppers open)
"""
import random, sys

CATEGORIES = 8  # catalog.py puts product i into category bench-(i % 8)
ACCOUNTS = 20_000
SIZES = [1, 2, 3, 4, 5, 6]
SIZE_WEIGHTS = [20, 20, 20, 15, 15, 10]  # mean 3.25 lines per order


def product_id(i):
    return "prd_B%015d" % i


def skewed(rng, products, category):
    per_category = products // CATEGORIES
    return category + CATEGORIES * min(per_category - 1, int(per_category * rng.random() ** 3))


def sql(products, lines, now, out):
    rng = random.Random(22)
    with open(out, "w", encoding="utf-8") as f:
        f.write("PRAGMA foreign_keys = OFF;\nBEGIN;\n")
        for start in range(0, ACCOUNTS, 500):
            rows = ",".join("('acct_bench%06d', 'bench%06d@bench.test', '!', 'Bench', 0)" % (i, i)
                            for i in range(start, min(ACCOUNTS, start + 500)))
            f.write("INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES %s;\n" % rows)
        written, order, orders, items = 0, 0, [], []

        def flush(force=False):
            if orders and (force or len(orders) >= 500):
                f.write("INSERT INTO orders (id, account_id, status, subtotal_cents, discount_cents, total_cents,"
                        " refunded_cents, created_at) VALUES %s;\n" % ",".join(orders))
                orders.clear()
            if items and (force or len(items) >= 500):
                f.write("INSERT INTO order_items (order_id, line, product_id, title, quantity, unit_price_cents, flash,"
                        " refunded_quantity) VALUES %s;\n" % ",".join(items))
                items.clear()

        while written < lines:
            size = min(rng.choices(SIZES, SIZE_WEIGHTS)[0], lines - written)
            category = rng.randrange(CATEGORIES)
            chosen = []
            while len(chosen) < size:
                p = skewed(rng, products, category)
                if p not in chosen:
                    chosen.append(p)
            fate = rng.random()
            oid = "ord_bench%09d" % order
            created = now - rng.randrange(60 * 86_400)
            subtotal, refunded = 0, 0
            for line, p in enumerate(chosen):
                price = 100 + (p * 37) % 9900
                quantity = 1 + (rng.random() < 0.2)
                back = quantity if fate < 0.03 else (1 if fate < 0.08 and line == 0 else 0)
                subtotal += price * quantity
                refunded += price * back
                items.append("('%s', %d, '%s', 'Bench', %d, %d, 0, %d)" % (oid, line, product_id(p), quantity, price, back))
            status = "refunded" if fate < 0.03 else ("partially_refunded" if refunded else "paid")
            orders.append("('%s', 'acct_bench%06d', '%s', %d, 0, %d, %d, %d)" % (
                oid, rng.randrange(ACCOUNTS), status, subtotal, subtotal, refunded, created))
            written += size
            order += 1
            flush()
        flush(force=True)
        f.write("COMMIT;\n")
    print("%d orders, %d lines" % (order, written), file=sys.stderr)


def lua_ids(products, n, out):
    rng = random.Random(7)
    ids = [product_id(skewed(rng, products, rng.randrange(CATEGORIES))) for _ in range(n)]
    with open(out, "w") as f:
        f.write("ids = {" + ",".join('"%s"' % i for i in ids) + "}\n")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "sql": sql(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif cmd == "lua-ids": lua_ids(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else: sys.exit(__doc__)
