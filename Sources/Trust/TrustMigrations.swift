import Storage

/// The Trust module's tables (range 07xx): inbox, settings, consent records, the send log.
public enum TrustMigrations {
    public static let all: [Migration] = [
        Migration(
            "0700_create_inbox_and_consents",
            """
            CREATE TABLE inbox_items (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                category TEXT NOT NULL,
                title_en TEXT NOT NULL,
                title_de TEXT NOT NULL,
                body_en TEXT NOT NULL,
                body_de TEXT NOT NULL,
                link TEXT,
                data TEXT NOT NULL,
                read INTEGER NOT NULL DEFAULT 0,
                rule TEXT NOT NULL,
                consent_id TEXT,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX inbox_by_account ON inbox_items(account_id, created_at DESC, id DESC);
            CREATE INDEX inbox_unread ON inbox_items(account_id) WHERE read = 0;
            CREATE INDEX inbox_offers ON inbox_items(account_id, created_at) WHERE category = 'offer';
            CREATE INDEX inbox_by_time ON inbox_items(created_at);
            CREATE TABLE notification_settings (
                account_id TEXT PRIMARY KEY,
                live INTEGER NOT NULL,
                social INTEGER NOT NULL,
                feedback INTEGER NOT NULL,
                quiet_start INTEGER,
                quiet_end INTEGER,
                time_zone TEXT NOT NULL,
                max_offers_per_week INTEGER NOT NULL
            );
            -- Append-only: a withdrawal is a new record, never an update (the proof of what was agreed when).
            CREATE TABLE consent_records (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                purpose TEXT NOT NULL,
                granted INTEGER NOT NULL,
                notice_version TEXT,
                created_at INTEGER NOT NULL,
                seq INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX consent_records_order ON consent_records(account_id, purpose, seq);
            -- Every decision of the send path, for the signal counters (API.md §17).
            CREATE TABLE send_log (
                id INTEGER PRIMARY KEY,
                rule TEXT NOT NULL,
                account_id TEXT NOT NULL,
                outcome TEXT NOT NULL,
                item_id TEXT,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX send_log_by_rule ON send_log(rule, outcome);
            CREATE INDEX send_log_by_account ON send_log(account_id, rule, created_at);
            """
        ),
    ]
}
