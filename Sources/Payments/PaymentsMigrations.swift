import Storage

/// Every migration of the Payments module (range 04xx): the ledger, then orders and refunds.
public enum PaymentsMigrations {
    public static let all: [Migration] = [
        ledger, orders, ShipmentStore.migration, orderActivity, payouts, escrow, reportCovering,
    ]

    /// `Escrow`'s holds: one row per hold, whose remaining amount only goes down; the ledger check proves that
    /// the holds' remainders equal the escrow account's balance.
    static let escrow = Migration(
        "0405_create_escrow",
        """
        INSERT INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES ('platform:escrow', 'platform', 0, 0);
        CREATE TABLE escrow_holds (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            reference TEXT NOT NULL,
            amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
            remaining_cents INTEGER NOT NULL CHECK (remaining_cents >= 0),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX escrow_holds_by_account ON escrow_holds(account_id) WHERE remaining_cents > 0;
        CREATE INDEX escrow_holds_by_reference ON escrow_holds(reference, account_id);
        """
    )

    /// `OrderActivity`'s counts per account.
    static let orderActivity = Migration(
        "0403_create_order_activity",
        """
        CREATE TABLE order_activity (
            account_id TEXT PRIMARY KEY,
            orders INTEGER NOT NULL DEFAULT 0,
            refunds INTEGER NOT NULL DEFAULT 0,
            last_order_at INTEGER
        );
        """
    )

    /// The per-account order index also carries the status and the money columns, so the feedback report's join
    /// of every answering account with its orders reads the index alone (0.50 s instead of 1.26 s of CPU over
    /// 447,000 orders, bench/feedback.sh); the same number of indexes to maintain at checkout, a refund rewrites
    /// its entry.
    static let reportCovering = Migration(
        "0406_orders_by_account_covering",
        """
        DROP INDEX orders_by_account;
        CREATE INDEX orders_by_account ON orders(account_id, created_at DESC, id DESC, status, total_cents, refunded_cents);
        """
    )

    /// Ledger accounts for payouts and for money owed to erased accounts.
    static let payouts = Migration(
        "0404_payout_and_payable_accounts",
        """
        INSERT INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES
            ('platform:cash_out', 'platform', 0, 0),
            ('platform:payable', 'platform', 0, 0);
        """
    )

    /// A double-entry ledger. Each `ledger_transactions` row has entries that sum to zero; each account's
    /// `balance_cents` is the sum of its entries, updated in the same transaction, and a wallet's can never be
    /// negative (the CHECK is the last line of defence behind the guarded UPDATE in `Ledger.post`).
    static let ledger = Migration(
        "0400_create_ledger",
        """
        CREATE TABLE ledger_accounts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('wallet', 'platform', 'merchant', 'marketing')),
            balance_cents INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            CHECK (kind <> 'wallet' OR balance_cents >= 0)
        ) WITHOUT ROWID;
        INSERT INTO ledger_accounts (id, kind, balance_cents, created_at) VALUES
            ('platform:cash_in', 'platform', 0, 0),
            ('merchant:revenue', 'merchant', 0, 0),
            ('marketing:spend', 'marketing', 0, 0);
        CREATE TABLE ledger_transactions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE ledger_entries (
            id INTEGER PRIMARY KEY,
            transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id),
            ledger_account_id TEXT NOT NULL REFERENCES ledger_accounts(id),
            amount_cents INTEGER NOT NULL,
            balance_after_cents INTEGER NOT NULL,
            kind TEXT NOT NULL,
            reference TEXT,
            note TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX ledger_entries_by_account ON ledger_entries(ledger_account_id, created_at DESC, transaction_id DESC);
        CREATE INDEX ledger_entries_by_transaction ON ledger_entries(transaction_id);
        """
    )

    static let orders = Migration(
        "0401_create_orders",
        """
        CREATE TABLE orders (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            status TEXT NOT NULL CHECK (status IN ('paid', 'partially_refunded', 'refunded')),
            subtotal_cents INTEGER NOT NULL,
            discount_cents INTEGER NOT NULL,
            total_cents INTEGER NOT NULL,
            refunded_cents INTEGER NOT NULL DEFAULT 0,
            coupon_id TEXT,
            live_session_id TEXT,
            pin_id TEXT,
            created_at INTEGER NOT NULL,
            CHECK (total_cents = subtotal_cents - discount_cents AND total_cents >= 0),
            CHECK (refunded_cents BETWEEN 0 AND total_cents)
        );
        CREATE INDEX orders_by_account ON orders(account_id, created_at DESC, id DESC);
        CREATE INDEX orders_by_time ON orders(created_at DESC, id DESC);
        CREATE INDEX orders_by_live_session ON orders(live_session_id) WHERE live_session_id IS NOT NULL;
        CREATE TABLE order_items (
            order_id TEXT NOT NULL REFERENCES orders(id),
            line INTEGER NOT NULL,
            product_id TEXT NOT NULL REFERENCES products(id),
            title TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
            flash INTEGER NOT NULL DEFAULT 0,
            refunded_quantity INTEGER NOT NULL DEFAULT 0 CHECK (refunded_quantity BETWEEN 0 AND quantity),
            PRIMARY KEY (order_id, line)
        ) WITHOUT ROWID;
        CREATE TABLE refunds (
            id TEXT PRIMARY KEY,
            order_id TEXT NOT NULL REFERENCES orders(id),
            requested_by TEXT NOT NULL,
            amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
            reason TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX refunds_by_order ON refunds(order_id, created_at);
        CREATE TABLE refund_items (
            refund_id TEXT NOT NULL REFERENCES refunds(id),
            line INTEGER NOT NULL,
            product_id TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            amount_cents INTEGER NOT NULL,
            PRIMARY KEY (refund_id, line)
        ) WITHOUT ROWID;
        """
    )
}
