import Storage

/// The Games module's tables (migrations 05xx).
public enum GameMigrations {
    public static let all: [Migration] = [
        Migration(
            "0500_create_game_tables",
            """
            CREATE TABLE game_seeds (
                account_id TEXT NOT NULL REFERENCES accounts(id),
                game_id TEXT NOT NULL,
                server_seed TEXT NOT NULL,
                server_seed_hash TEXT NOT NULL UNIQUE,
                next_nonce INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, game_id)
            ) WITHOUT ROWID;
            CREATE TABLE game_revealed_seeds (
                server_seed_hash TEXT PRIMARY KEY,
                server_seed TEXT NOT NULL,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                game_id TEXT NOT NULL,
                plays INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                revealed_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE game_plays (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                game_id TEXT NOT NULL,
                server_seed_hash TEXT NOT NULL,
                client_seed TEXT NOT NULL,
                nonce INTEGER NOT NULL,
                roll TEXT NOT NULL,
                outcome_label TEXT NOT NULL,
                prizes_in_draw TEXT NOT NULL,
                coupon_id TEXT REFERENCES coupons(id),
                created_at INTEGER NOT NULL,
                UNIQUE (server_seed_hash, nonce)
            );
            CREATE INDEX game_plays_by_day ON game_plays(account_id, game_id, created_at);
            CREATE TABLE pet_states (
                account_id TEXT NOT NULL REFERENCES accounts(id),
                game_id TEXT NOT NULL,
                level INTEGER NOT NULL,
                xp INTEGER NOT NULL,
                energy INTEGER NOT NULL,
                energy_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, game_id)
            ) WITHOUT ROWID;
            CREATE TABLE pet_actions (
                id INTEGER PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                game_id TEXT NOT NULL,
                action TEXT NOT NULL,
                energy_spent INTEGER NOT NULL,
                xp_gained INTEGER NOT NULL,
                level_after INTEGER NOT NULL,
                coupon_id TEXT REFERENCES coupons(id),
                created_at INTEGER NOT NULL
            );
            """
        ),
        Migration(
            "0501_add_game_plays_prize_table",
            """
            -- The experiment variant whose prize table a play drew from (NULL: the game file's own prizes), so the
            -- draw can be verified against the table that was used.
            ALTER TABLE game_plays ADD COLUMN prize_table TEXT;
            """
        ),
    ]
}
