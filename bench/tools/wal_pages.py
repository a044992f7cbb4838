"""WAL frames of a killed server's database, per order and per B-tree: python3 wal_pages.py DB.

Reads DB-wal's frame headers (https://sqlite.org/fileformat2.html#walformat) up to the first frame of another salt,
then opens a copy of the database and WAL (which replays the WAL) to learn from dbstat which table or index owns each
page and how many orders there are.
"""
import collections
import shutil
import sqlite3
import struct
import sys
import tempfile

db_path = sys.argv[1]
wal = open(db_path + "-wal", "rb").read()
page_size = struct.unpack(">I", wal[8:12])[0]
frame_size = 24 + page_size
salt = wal[16:24]
frames = []
for offset in range(32, len(wal) - frame_size + 1, frame_size):
    if wal[offset + 8:offset + 16] != salt:
        break
    frames.append(struct.unpack(">II", wal[offset:offset + 8]))

with tempfile.TemporaryDirectory() as scratch:
    copy = scratch + "/copy.sqlite"
    shutil.copy(db_path, copy)
    shutil.copy(db_path + "-wal", copy + "-wal")
    db = sqlite3.connect(copy)
    owner = {page: name for name, page in db.execute("SELECT name, pageno FROM dbstat")}
    orders = db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    db.close()

commits = sum(1 for _, size_after in frames if size_after)
by_tree = collections.Counter(owner.get(page, "(free)") for page, _ in frames)
print(f"{len(frames)} WAL pages in {commits} commits for {orders} orders: "
      f"{len(frames) / max(orders, 1):.2f} pages per order, {orders / max(commits, 1):.1f} orders per commit")
for name, count in by_tree.most_common(20):
    print(f"  {count / max(orders, 1):6.2f} per order  {name}")
