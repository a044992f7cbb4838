-- Basar's checkout (OrderService.checkout in Sources/Payments: two lines of quantity 1, no coupon, not from the
-- cart, no live session) as a pgbench script: the same statements in the same order inside one transaction, each
-- its own round trip, directly on the database Basar created and bench/pg/seed.sql seeded.
--
--   pgbench -n -M prepared -f bench/pg/checkout.sql -D products=1000 -D buyers=64 -D auth=0 \
--     -c 64 -j 2 -T 10 --max-tries=10 "$DATABASE_URL"            (or bench/pg/pgbench.sh, which does this)
--
-- -M prepared (or extended) is required: strings read with \gset are sent as parameters; in simple mode pgbench
-- would paste them into the SQL unquoted. --max-tries retries deadlocks (40P01) as Basar's engine does.
-- With -D auth=1 the first statement is Basar's bearer-token lookup plus its roles query (what every Basar
-- checkout request also reads, outside the transaction); with auth=0 it only makes the ids and the time, which
-- Basar makes in-process. Either way it runs before BEGIN and holds no lock.
-- Basar binds quantity and time as parameters; so does this script (:qty, :now). pgbench reads `:name` even inside
-- a string literal, so the ledger account merchant:revenue is spelt 'merchant:' || 'revenue'.
-- Each client buys as its own buyer (as bench/lua/checkout.lua gives each connection its own tokens), so clients
-- contend only on the rows every checkout shares (merchant:revenue), not on one wallet.
\set aid :client_id % :buyers
\set p1 random(0, :products - 1)
\set p2 (:p1 + 3) % :products
\set oid random(1, 9007199254740991)
\set tid random(1, 9007199254740991)
\set qty 1
\if :auth
SELECT a.id AS account, a.display_name, CAST(extract(epoch FROM now()) AS BIGINT) AS now,
       'ord_' || lpad(CAST(:oid AS TEXT), 16, '0') AS order_id, 'txn_' || lpad(CAST(:tid AS TEXT), 16, '0') AS txn_id
FROM access_tokens t JOIN accounts a ON a.id = t.account_id
WHERE t.token_hash = sha256(convert_to('pgbench-token-' || lpad(CAST(:aid AS TEXT), 15, '0'), 'UTF8')) \gset
SELECT role FROM account_roles WHERE account_id = :account;
\else
SELECT 'acct_C' || lpad(CAST(:aid AS TEXT), 15, '0') AS account, CAST(extract(epoch FROM now()) AS BIGINT) AS now,
       'ord_' || lpad(CAST(:oid AS TEXT), 16, '0') AS order_id,
       'txn_' || lpad(CAST(:tid AS TEXT), 16, '0') AS txn_id \gset
\endif
BEGIN;
-- ProductStore.product, every line before any stock is taken
SELECT id, sku, title, description, price_cents, stock, category, image_url, active, created_at, updated_at
FROM products WHERE id = 'prd_C' || lpad(CAST(:p1 AS TEXT), 15, '0') \gset l1_
SELECT id, sku, title, description, price_cents, stock, category, image_url, active, created_at, updated_at
FROM products WHERE id = 'prd_C' || lpad(CAST(:p2 AS TEXT), 15, '0') \gset l2_
-- ProductStore.takeStock (Basar checks the row count; RETURNING makes a missing row fail this client here)
UPDATE products SET stock = stock - :qty, updated_at = :now WHERE id = :l1_id AND stock >= :qty RETURNING stock \gset
UPDATE products SET stock = stock - :qty, updated_at = :now WHERE id = :l2_id AND stock >= :qty RETURNING stock \gset
\set subtotal :l1_price_cents * :qty + :l2_price_cents * :qty
\set debit 0 - :subtotal
-- Ledger.post: the transaction, then per entry (wallet −total, merchant:revenue +subtotal) open/update/insert
INSERT INTO ledger_transactions (id, kind, created_at) VALUES (:txn_id, 'payment', :now);
INSERT INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES ('wallet:' || :account, 'wallet', 0, :now)
ON CONFLICT (id) DO NOTHING;
UPDATE ledger_accounts SET balance_cents = balance_cents + :debit
WHERE id = 'wallet:' || :account AND (kind <> 'wallet' OR balance_cents + :debit >= 0)
RETURNING balance_cents AS wallet_after \gset
INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount_cents, balance_after_cents, kind, reference, note,
    created_at)
VALUES (:txn_id, 'wallet:' || :account, :debit, :wallet_after, 'payment', :order_id, NULL, :now);
UPDATE ledger_accounts SET balance_cents = balance_cents + :subtotal
WHERE id = 'merchant:' || 'revenue' AND (kind <> 'wallet' OR balance_cents + :subtotal >= 0)
RETURNING balance_cents AS revenue_after \gset
INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount_cents, balance_after_cents, kind, reference, note,
    created_at)
VALUES (:txn_id, 'merchant:' || 'revenue', :subtotal, :revenue_after, 'payment', :order_id, NULL, :now);
-- OrderStore.insert
INSERT INTO orders (id, account_id, status, subtotal_cents, discount_cents, total_cents, refunded_cents, coupon_id,
    live_session_id, pin_id, created_at, shipping_address)
VALUES (:order_id, :account, 'paid', :subtotal, 0, :subtotal, 0, NULL, NULL, NULL, :now, NULL);
INSERT INTO order_items (order_id, line, product_id, title, quantity, unit_price_cents, flash, refunded_quantity)
VALUES (:order_id, 0, :l1_id, :l1_title, :qty, :l1_price_cents, 0, 0);
INSERT INTO order_items (order_id, line, product_id, title, quantity, unit_price_cents, flash, refunded_quantity)
VALUES (:order_id, 1, :l2_id, :l2_title, :qty, :l2_price_cents, 0, 0);
-- EventLog.append(order.paid) on the buyer's stream; the data is the Order as the API renders it
INSERT INTO event_streams (stream, last_sequence) VALUES ('account:' || :account, 1)
ON CONFLICT (stream) DO UPDATE SET last_sequence = event_streams.last_sequence + 1
RETURNING last_sequence \gset
INSERT INTO domain_events (stream, sequence, name, data, created_at)
VALUES ('account:' || :account, :last_sequence, 'order.paid', json_build_object(
    'id', CAST(:order_id AS TEXT), 'account_id', CAST(:account AS TEXT), 'status', 'paid',
    'items', json_build_array(
        json_build_object('product_id', CAST(:l1_id AS TEXT), 'title', CAST(:l1_title AS TEXT),
            'quantity', CAST(:qty AS BIGINT), 'unit_price_cents', CAST(:l1_price_cents AS BIGINT),
            'line_total_cents', CAST(:l1_price_cents AS BIGINT) * CAST(:qty AS BIGINT), 'refunded_quantity', 0),
        json_build_object('product_id', CAST(:l2_id AS TEXT), 'title', CAST(:l2_title AS TEXT),
            'quantity', CAST(:qty AS BIGINT), 'unit_price_cents', CAST(:l2_price_cents AS BIGINT),
            'line_total_cents', CAST(:l2_price_cents AS BIGINT) * CAST(:qty AS BIGINT), 'refunded_quantity', 0)),
    'subtotal_cents', CAST(:subtotal AS BIGINT), 'discount_cents', 0, 'total_cents', CAST(:subtotal AS BIGINT),
    'refunded_cents', 0, 'currency', 'EUR', 'coupon_id', NULL, 'live_session_id', NULL, 'pin_id', NULL,
    'shipping_address', NULL, 'fulfillment_status', 'unfulfilled', 'delivered_at', NULL,
    'created_at', translate(to_char(to_timestamp(CAST(:now AS BIGINT)) AT TIME ZONE 'UTC',
        'YYYY-MM-DD"T"HH24.MI.SS"Z"'), '.', chr(58))  -- RFC 3339 (chr(58), since pgbench reads any colon-name)
)::text, :now)
RETURNING id;
-- The referral hook (Teams.ReferralProgram.orderPlaced): is this buyer's first order a pending referral?
SELECT share_id, sharer_id FROM referrals WHERE account_id = :account AND status = 'pending';
END;
