/*
 * The storage ceiling for Basar's checkout: the statements of OrderService.checkout (Sources/Payments), in the
 * same order, on Basar's own schema, without HTTP, JSON or Swift — one thread, prepared statements, WAL,
 * foreign_keys=ON, as Basar's writer connection (Sources/Storage) sets them.
 *
 * One checkout (a paid order of LINES lines, quantity 1 each, no coupon, not from the cart):
 *   BEGIN IMMEDIATE
 *   per line  SELECT <product columns> FROM products WHERE id = ?                     (ProductStore.product)
 *   per line  UPDATE products SET stock = stock - ?, updated_at = ? WHERE id = ? AND stock >= ?   (takeStock)
 *   INSERT INTO ledger_transactions                                                    (Ledger.post)
 *   wallet:   INSERT OR IGNORE INTO ledger_accounts; UPDATE … RETURNING balance_cents (guarded: never < 0);
 *             INSERT INTO ledger_entries
 *   merchant: UPDATE … RETURNING balance_cents; INSERT INTO ledger_entries
 *   INSERT INTO orders; per line INSERT INTO order_items                              (OrderStore.insert)
 *   COMMIT
 *
 * Usage: ceiling DB NORMAL|FULL SECONDS [PRODUCTS=1000] [BUYERS=64] [LINES=2]
 *   DB is a copy of a database that Basar itself migrated (bench/checkout.sh makes it), so the tables, indexes,
 *   triggers, CHECKs, foreign keys and the ledger's own accounts are exactly Basar's. Products and funded buyers
 *   are seeded on the first run and reused (the tables growing, as Basar's do) by later rounds.
 * Prints: "<mode> <checkouts per second> <checkouts> <seconds>"
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static sqlite3 *db;

static void die(const char *what) {
    fprintf(stderr, "ceiling: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static void exec(const char *sql) {
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) { fprintf(stderr, "%s\n", sql); die(error); }
}

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) die(sql);
    return s;
}

static void step_done(sqlite3_stmt *s) {
    if (sqlite3_step(s) != SQLITE_DONE) die(sqlite3_sql(s));
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Basar's ids: a prefix, '_' and 16 base-62 characters. */
static void make_id(char *out, const char *prefix) {
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    int n = sprintf(out, "%s_", prefix);
    for (int i = 0; i < 16; i++) out[n + i] = alphabet[random() % 62];
    out[n + 16] = 0;
}

static int seeded(void) {
    sqlite3_stmt *s = prepare("SELECT count(*) FROM products WHERE id LIKE 'prd_C%'");
    if (sqlite3_step(s) != SQLITE_ROW) die("count");
    int n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n > 0;
}

static void seed(int products, int buyers) {
    exec("BEGIN");
    sqlite3_stmt *p = prepare(
        "INSERT INTO products (id, sku, title, description, price_cents, stock, category, image_url, active, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1000000000, 'bench-0', NULL, 1, ?, ?)");
    for (int i = 0; i < products; i++) {
        char id[32], sku[32], title[64], description[128];
        sprintf(id, "prd_C%015d", i);
        sprintf(sku, "CEIL-%07d", i);
        sprintf(title, "Checkout Artikel %d", i);
        sprintf(description, "Ein Artikel für den Checkout-Benchmark, Nummer %d.", i);
        sqlite3_bind_text(p, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p, 2, sku, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p, 3, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p, 4, description, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(p, 5, 1 + i % 5);
        sqlite3_bind_int64(p, 6, 1795000000 + i);
        sqlite3_bind_int64(p, 7, 1795000000 + i);
        step_done(p);
    }
    sqlite3_finalize(p);
    sqlite3_stmt *a = prepare(
        "INSERT INTO accounts (id, email, password_hash, display_name, created_at) VALUES (?, ?, 'x', ?, 1795000000)");
    sqlite3_stmt *w = prepare(
        "INSERT INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES (?, 'wallet', 100000000, 1795000000)");
    for (int i = 0; i < buyers; i++) {
        char id[32], email[64], wallet[48];
        sprintf(id, "acct_C%015d", i);
        sprintf(email, "buyer%d@ceiling.test", i);
        sprintf(wallet, "wallet:%s", id);
        sqlite3_bind_text(a, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(a, 2, email, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(a, 3, email, -1, SQLITE_TRANSIENT);
        step_done(a);
        sqlite3_bind_text(w, 1, wallet, -1, SQLITE_TRANSIENT);
        step_done(w);
    }
    sqlite3_finalize(a);
    sqlite3_finalize(w);
    exec("COMMIT");
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s DB NORMAL|FULL SECONDS [PRODUCTS] [BUYERS] [LINES]\n", argv[0]);
        return 64;
    }
    const char *mode = argv[2];
    double seconds = atof(argv[3]);
    int products = argc > 4 ? atoi(argv[4]) : 1000;
    int buyers = argc > 5 ? atoi(argv[5]) : 64;
    int lines = argc > 6 ? atoi(argv[6]) : 2;
    if (lines < 1 || lines > 8) { fprintf(stderr, "LINES must be 1-8\n"); return 64; }
    srandom((unsigned)getpid());

    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL))
        die("open");
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA journal_mode = WAL");
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %s", mode);
    exec(pragma);
    if (!seeded()) seed(products, buyers);

    sqlite3_stmt *product = prepare(
        "SELECT id, sku, title, description, price_cents, stock, category, image_url, active, created_at, updated_at "
        "FROM products WHERE id = ?");
    sqlite3_stmt *take = prepare("UPDATE products SET stock = stock - ?, updated_at = ? WHERE id = ? AND stock >= ?");
    sqlite3_stmt *txn = prepare("INSERT INTO ledger_transactions (id, kind, created_at) VALUES (?, ?, ?)");
    sqlite3_stmt *open_wallet = prepare(
        "INSERT OR IGNORE INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES (?, 'wallet', 0, ?)");
    sqlite3_stmt *move = prepare(
        "UPDATE ledger_accounts SET balance_cents = balance_cents + ?\n"
        "WHERE id = ? AND (kind <> 'wallet' OR balance_cents + ? >= 0)\nRETURNING balance_cents");
    sqlite3_stmt *entry = prepare(
        "INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount_cents, balance_after_cents, kind,\n"
        "    reference, note, created_at)\nVALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *order = prepare(
        "INSERT INTO orders (id, account_id, status, subtotal_cents, discount_cents, total_cents, refunded_cents, "
        "coupon_id, live_session_id, pin_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *item = prepare(
        "INSERT INTO order_items (order_id, line, product_id, title, quantity, unit_price_cents, flash,\n"
        "    refunded_quantity)\nVALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *begin = prepare("BEGIN IMMEDIATE");
    sqlite3_stmt *commit = prepare("COMMIT");

    long done = 0;
    double start = now_seconds(), end = start + seconds, elapsed;
    do {
        for (int batch = 0; batch < 16; batch++, done++) {
            char order_id[32], txn_id[32], account[32], wallet[48], ids[8][32], titles[8][64];
            long long prices[8], now = (long long)time(NULL), subtotal = 0;
            make_id(order_id, "ord");
            make_id(txn_id, "txn");
            sprintf(account, "acct_C%015ld", done % buyers);
            sprintf(wallet, "wallet:%s", account);
            step_done(begin);
            for (int l = 0; l < lines; l++) {
                sprintf(ids[l], "prd_C%015ld", (done * lines + l) * 7919 % products);
                sqlite3_bind_text(product, 1, ids[l], -1, SQLITE_STATIC);
                if (sqlite3_step(product) != SQLITE_ROW) die("product");
                snprintf(titles[l], sizeof titles[l], "%s", (const char *)sqlite3_column_text(product, 2));
                prices[l] = sqlite3_column_int64(product, 4);
                subtotal += prices[l];
                sqlite3_reset(product);
                sqlite3_clear_bindings(product);
            }
            for (int l = 0; l < lines; l++) {
                sqlite3_bind_int64(take, 1, 1);
                sqlite3_bind_int64(take, 2, now);
                sqlite3_bind_text(take, 3, ids[l], -1, SQLITE_STATIC);
                sqlite3_bind_int64(take, 4, 1);
                step_done(take);
                if (sqlite3_changes(db) != 1) die("out of stock");
            }
            sqlite3_bind_text(txn, 1, txn_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(txn, 2, "payment", -1, SQLITE_STATIC);
            sqlite3_bind_int64(txn, 3, now);
            step_done(txn);
            const char *accounts[2] = {wallet, "merchant:revenue"};
            long long amounts[2] = {-subtotal, subtotal};
            for (int e = 0; e < 2; e++) {
                if (e == 0) {
                    sqlite3_bind_text(open_wallet, 1, wallet, -1, SQLITE_STATIC);
                    sqlite3_bind_int64(open_wallet, 2, now);
                    step_done(open_wallet);
                }
                sqlite3_bind_int64(move, 1, amounts[e]);
                sqlite3_bind_text(move, 2, accounts[e], -1, SQLITE_STATIC);
                sqlite3_bind_int64(move, 3, amounts[e]);
                if (sqlite3_step(move) != SQLITE_ROW) die("insufficient funds");
                long long after = sqlite3_column_int64(move, 0);
                if (sqlite3_step(move) != SQLITE_DONE) die("move");
                sqlite3_reset(move);
                sqlite3_clear_bindings(move);
                sqlite3_bind_text(entry, 1, txn_id, -1, SQLITE_STATIC);
                sqlite3_bind_text(entry, 2, accounts[e], -1, SQLITE_STATIC);
                sqlite3_bind_int64(entry, 3, amounts[e]);
                sqlite3_bind_int64(entry, 4, after);
                sqlite3_bind_text(entry, 5, "payment", -1, SQLITE_STATIC);
                sqlite3_bind_text(entry, 6, order_id, -1, SQLITE_STATIC);
                sqlite3_bind_null(entry, 7);
                sqlite3_bind_int64(entry, 8, now);
                step_done(entry);
            }
            sqlite3_bind_text(order, 1, order_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(order, 2, account, -1, SQLITE_STATIC);
            sqlite3_bind_text(order, 3, "paid", -1, SQLITE_STATIC);
            sqlite3_bind_int64(order, 4, subtotal);
            sqlite3_bind_int64(order, 5, 0);
            sqlite3_bind_int64(order, 6, subtotal);
            sqlite3_bind_int64(order, 7, 0);
            sqlite3_bind_null(order, 8);
            sqlite3_bind_null(order, 9);
            sqlite3_bind_null(order, 10);
            sqlite3_bind_int64(order, 11, now);
            step_done(order);
            for (int l = 0; l < lines; l++) {
                sqlite3_bind_text(item, 1, order_id, -1, SQLITE_STATIC);
                sqlite3_bind_int64(item, 2, l);
                sqlite3_bind_text(item, 3, ids[l], -1, SQLITE_STATIC);
                sqlite3_bind_text(item, 4, titles[l], -1, SQLITE_STATIC);
                sqlite3_bind_int64(item, 5, 1);
                sqlite3_bind_int64(item, 6, prices[l]);
                sqlite3_bind_int64(item, 7, 0);
                sqlite3_bind_int64(item, 8, 0);
                step_done(item);
            }
            step_done(commit);
        }
        elapsed = now_seconds() - start;
    } while (now_seconds() < end);
    printf("%s %.0f %ld %.2f\n", mode, done / elapsed, done, elapsed);
    sqlite3_close_v2(db);  /* statements are finalized by the process exit; close_v2 defers until then */
    return 0;
}
