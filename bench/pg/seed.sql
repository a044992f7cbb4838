-- Seeds a checkout benchmark straight into a database Basar created, the same
-- set-up for every contender: Basar's nodes behind nginx, the Vapor peer (bench/peers/vapor-pg) and pgbench
-- (bench/pg/checkout.sql).
--   psql "$DATABASE_URL" -v products=1000 -v buyers=64 -f bench/pg/seed.sql
-- * products prd_C000000000000000 … (stock 1,000,000,000, prices 1–5 cents, as bench/sqlite-ceiling/ceiling.c);
-- * buyers acct_C000000000000000 … with a bearer token each, `pgbench-token-` + 15 digits (stored as Basar stores
--   tokens: SHA-256 of the UTF-8 text, AccountService.principal), so HTTP contenders authenticate as Basar does;
-- * each wallet funded by one balanced `top_up` ledger transaction from platform:cash_in (10,000,000 cents), so
--   `basar check` and GET /v1/admin/ledger/check still balance afterwards.
-- Seeding twice fails on the unique ids: seed a fresh database.
\set ON_ERROR_STOP on
\if :{?balance}
\else
\set balance 10000000
\endif
BEGIN;
INSERT INTO products (id, sku, title, description, price_cents, stock, category, image_url, created_at, updated_at)
SELECT 'prd_C' || lpad(i::text, 15, '0'), 'CEIL-' || lpad(i::text, 7, '0'), 'Checkout Artikel ' || i,
       'Ein Artikel für den Checkout-Benchmark, Nummer ' || i || '.', 1 + i % 5, 1000000000, 'bench-0', NULL,
       1795000000 + i, 1795000000 + i
FROM generate_series(0, :products - 1) AS i;

INSERT INTO accounts (id, email, password_hash, display_name, created_at)
SELECT 'acct_C' || lpad(i::text, 15, '0'), 'buyer' || i || '@pg.bench.test', 'x', 'Buyer ' || i, 1795000000
FROM generate_series(0, :buyers - 1) AS i;
INSERT INTO access_tokens (token_hash, account_id, created_at)
SELECT sha256(convert_to('pgbench-token-' || lpad(i::text, 15, '0'), 'UTF8')), 'acct_C' || lpad(i::text, 15, '0'),
       1795000000
FROM generate_series(0, :buyers - 1) AS i;

INSERT INTO ledger_accounts (id, kind, balance_cents, created_at)
SELECT 'wallet:acct_C' || lpad(i::text, 15, '0'), 'wallet', :balance, 1795000000
FROM generate_series(0, :buyers - 1) AS i;
INSERT INTO ledger_transactions (id, kind, created_at)
SELECT 'txn_C' || lpad(i::text, 15, '0'), 'top_up', 1795000000 FROM generate_series(0, :buyers - 1) AS i;
INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount_cents, balance_after_cents, kind, reference,
    note, created_at)
SELECT 'txn_C' || lpad(i::text, 15, '0'), 'wallet:acct_C' || lpad(i::text, 15, '0'), :balance, :balance, 'top_up',
       NULL, NULL, 1795000000
FROM generate_series(0, :buyers - 1) AS i
UNION ALL
SELECT 'txn_C' || lpad(i::text, 15, '0'), 'platform:cash_in', -:balance,
       (SELECT balance_cents FROM ledger_accounts WHERE id = 'platform:cash_in') - CAST(:balance AS BIGINT) * (i + 1),
       'top_up', 'acct_C' || lpad(i::text, 15, '0'), NULL, 1795000000
FROM generate_series(0, :buyers - 1) AS i;
UPDATE ledger_accounts SET balance_cents = balance_cents - CAST(:balance AS BIGINT) * :buyers
WHERE id = 'platform:cash_in';
COMMIT;
ANALYZE;
