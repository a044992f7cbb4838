import Storage

/// The live-shopping tables (migration range 06xx).
public enum LiveMigrations {
    public static let all: [Migration] = [
        Migration(
            "0600_create_live_shopping",
            """
            CREATE TABLE live_sessions (
                id TEXT PRIMARY KEY,
                host_id TEXT NOT NULL REFERENCES accounts(id),
                title TEXT NOT NULL,
                description TEXT,
                status TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'ended')),
                stream_url TEXT,
                scheduled_at INTEGER,
                started_at INTEGER,
                ended_at INTEGER,
                like_count INTEGER NOT NULL DEFAULT 0,
                peak_viewers INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX live_sessions_by_time ON live_sessions(created_at DESC, id DESC);
            CREATE INDEX live_sessions_by_status ON live_sessions(status, created_at DESC, id DESC);

            CREATE TABLE live_pins (
                id TEXT PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES live_sessions(id),
                product_id TEXT NOT NULL,
                flash_price_cents INTEGER,
                flash_quantity INTEGER,
                sold INTEGER NOT NULL DEFAULT 0,
                ends_at INTEGER,
                ended_at INTEGER,
                created_at INTEGER NOT NULL,
                CHECK (sold >= 0 AND (flash_quantity IS NULL OR sold <= flash_quantity))
            );
            CREATE INDEX live_pins_by_session ON live_pins(session_id, created_at);
            CREATE INDEX live_pins_expiring ON live_pins(ends_at) WHERE ended_at IS NULL AND ends_at IS NOT NULL;

            CREATE TABLE live_messages (
                id TEXT PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES live_sessions(id),
                account_id TEXT NOT NULL,
                text TEXT NOT NULL,
                deleted_at INTEGER,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX live_messages_by_session ON live_messages(session_id, created_at);

            CREATE TABLE live_mutes (
                session_id TEXT NOT NULL,
                account_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (session_id, account_id)
            ) WITHOUT ROWID;

            CREATE TABLE live_coupon_drops (
                id TEXT PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES live_sessions(id),
                campaign_id TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                claimed INTEGER NOT NULL DEFAULT 0,
                released INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                CHECK (claimed >= 0 AND claimed <= quantity)
            );
            CREATE INDEX live_coupon_drops_by_session ON live_coupon_drops(session_id);

            CREATE TABLE live_drop_claims (
                drop_id TEXT NOT NULL,
                account_id TEXT NOT NULL,
                coupon_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (drop_id, account_id)
            ) WITHOUT ROWID;

            -- The replayable event log of every session (API.md §9). AUTOINCREMENT never reuses an id, and commits
            -- are serialized on the one writer, so ids grow in commit order within every session.
            CREATE TABLE live_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id TEXT NOT NULL,
                name TEXT NOT NULL,
                data TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX live_events_by_session ON live_events(session_id, id);

            -- Distinct viewers: an account id, or one random key per anonymous stream.
            CREATE TABLE live_viewers (
                session_id TEXT NOT NULL,
                viewer TEXT NOT NULL,
                PRIMARY KEY (session_id, viewer)
            ) WITHOUT ROWID;

            CREATE TABLE live_orders (
                order_id TEXT PRIMARY KEY,
                session_id TEXT NOT NULL,
                account_id TEXT NOT NULL,
                units INTEGER NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX live_orders_by_session ON live_orders(session_id);
            """
        ),
        LiveStore.auctionsMigration,
        LiveStore.nodeViewersMigration,
    ]
}
