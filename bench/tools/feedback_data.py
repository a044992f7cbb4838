#!/usr/bin/env python3
"""Writes the feedback report's data set straight into a migrated Basar database (bench/feedback.sh):
ORDERS orders over 100,000 accounts within 180 days, ANSWERS answers (NPS, CSAT, CES in 3:1:1) with their
invitations, and one feedback case per 20 answers. Usage: feedback_data.py DB ORDERS ANSWERS"""
import random, sqlite3, sys

db_path, orders, answers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
start = 1_800_000_000
accounts = 100_000
db = sqlite3.connect(db_path)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=OFF")
db.executemany("INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, '!', 'F', 0)",
               ((f"acct_f{i:06d}", f"f{i}@bench.test") for i in range(accounts)))
def order_rows():
    for i in range(orders):
        total = random.randint(500, 20_000)
        refunded = total if random.random() < 0.03 else (random.randint(0, total) if random.random() < 0.05 else 0)
        status = "refunded" if refunded == total else ("partially_refunded" if refunded else "paid")
        yield (f"ord_f{i:07d}", f"acct_f{random.randrange(accounts):06d}", status, total, total, refunded,
               start + random.randrange(180 * 86_400))
db.executemany("""INSERT INTO orders (id, account_id, status, subtotal_cents, discount_cents, total_cents, refunded_cents,
    created_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)""", order_rows())
kinds = [("nps_delivery", 0, 10)] * 3 + [("csat_support", 1, 5), ("ces_refund", 1, 7)]
inv, rsp = [], []
for i in range(answers):
    survey, low, high = random.choice(kinds)
    at = start + random.randrange(180 * 86_400)
    account = f"acct_f{random.randrange(accounts):06d}"
    inv.append((f"inv_f{i:06d}", account, survey, "order", f"subject_{i}", at + 14 * 86_400, at))
    rsp.append((f"rsp_f{i:06d}", f"inv_f{i:06d}", account, survey, random.randint(low, high), at + 60))
db.executemany("""INSERT INTO survey_invitations (id, account_id, survey, subject_type, subject_id, recovery, expires_at,
    created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)""", inv)
db.executemany("""INSERT INTO survey_responses (id, invitation_id, account_id, survey, score, created_at)
    VALUES (?, ?, ?, ?, ?, ?)""", rsp)
db.executemany("""INSERT INTO conversations (id, kind, customer_id, subject, status, first_response_due_at,
    first_response_at, escalated, created_at, updated_at) VALUES (?, 'feedback', ?, 'x', 'resolved', ?, ?, 0, ?, ?)""",
               ((f"cnv_f{i:06d}", f"acct_f{i % accounts:06d}", start + i + 172_800, start + i + random.randint(600, 200_000),
                 start + i, start + i) for i in range(answers // 20)))
db.commit()
db.close()
