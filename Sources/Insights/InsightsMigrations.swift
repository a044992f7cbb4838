import Storage

/// The Insights module's tables (range 12xx): experiments and exposures, the co-purchase table and sales behind
/// recommendations, and the indexes the attribution trail reads by.
public enum InsightsMigrations {
    public static let all: [Migration] = [experiments, recommendations, attribution]

    static let experiments = Migration(
        "1200_create_experiments",
        """
        CREATE TABLE experiments (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            description TEXT,
            variants TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'stopped')),
            salt TEXT NOT NULL,
            salt_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            stopped_at INTEGER
        );
        CREATE INDEX experiments_by_time ON experiments(created_at DESC, id DESC);
        -- One row per account and experiment: the first exposure is what the results count from, and nothing more
        -- about the account is kept (data minimisation; the variant follows from the salt anyway).
        CREATE TABLE experiment_exposures (
            experiment_id TEXT NOT NULL REFERENCES experiments(id),
            account_id TEXT NOT NULL,
            variant TEXT NOT NULL,
            exposed_at INTEGER NOT NULL,
            PRIMARY KEY (experiment_id, account_id)
        ) WITHOUT ROWID;
        CREATE INDEX experiment_exposures_by_account ON experiment_exposures(account_id);
        """
    )

    /// Kept by the `recommendations` consumer of the event log (and rebuilt from orders on demand). Pairs are stored
    /// in both directions, so a product's neighbours are one index range, read by `together` from the highest.
    static let recommendations = Migration(
        "1201_create_recommendation_tables",
        """
        CREATE TABLE co_purchase_counts (
            product_id TEXT PRIMARY KEY,
            orders INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE co_purchase_pairs (
            product_id TEXT NOT NULL,
            other_id TEXT NOT NULL,
            together INTEGER NOT NULL,
            PRIMARY KEY (product_id, other_id)
        ) WITHOUT ROWID;
        CREATE INDEX co_purchase_pairs_ranked ON co_purchase_pairs(product_id, together DESC, other_id);
        -- Units sold net of refunds per UTC day, for the days still inside the 30-day window.
        CREATE TABLE product_sales_days (
            day INTEGER NOT NULL,
            product_id TEXT NOT NULL,
            units INTEGER NOT NULL,
            PRIMARY KEY (day, product_id)
        ) WITHOUT ROWID;
        -- Their sum over the window: the best sellers.
        CREATE TABLE product_sales_recent (
            product_id TEXT PRIMARY KEY,
            units INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX product_sales_recent_ranked ON product_sales_recent(units DESC, product_id);
        -- version: bumped in every transaction that changes the tables above, so caches on any node can tell.
        -- sales_from_day: the first UTC day inside the window (NULL until the first order is counted).
        CREATE TABLE recommendation_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL,
            sales_from_day INTEGER
        );
        INSERT INTO recommendation_state (id, version, sales_from_day) VALUES (1, 0, NULL);
        """
    )

    /// The attribution trail finds a coupon's origin by the coupon: these lookups need indexes the owning modules
    /// had no use for (partial, so they cost nothing for rows without a coupon).
    static let attribution = Migration(
        "1202_attribution_indexes",
        """
        CREATE INDEX game_plays_by_coupon ON game_plays(coupon_id) WHERE coupon_id IS NOT NULL;
        CREATE INDEX live_drop_claims_by_coupon ON live_drop_claims(coupon_id);
        """
    )
}
