import Storage

/// Every migration of the Teams module (range 13xx): team buys, then shares, then referrals.
public enum TeamMigrations {
    public static let all: [Migration] = [teams, shares, referrals]

    /// Deals, teams and their members. Invariant: exactly `team_size` members — a place is taken by the guarded
    /// UPDATE of `member_count`, whose value is the member's `position`, unique within the team.
    static let teams = Migration(
        "1300_create_team_buys",
        """
        CREATE TABLE team_deals (
            id TEXT PRIMARY KEY,
            product_id TEXT NOT NULL REFERENCES products(id),
            created_by TEXT NOT NULL,
            team_price_cents INTEGER NOT NULL CHECK (team_price_cents >= 1),
            team_size INTEGER NOT NULL CHECK (team_size BETWEEN 2 AND 10),
            window_seconds INTEGER NOT NULL CHECK (window_seconds BETWEEN 60 AND 86400),
            active INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX team_deals_by_time ON team_deals(created_at DESC, id DESC);
        CREATE TABLE teams (
            id TEXT PRIMARY KEY,
            deal_id TEXT NOT NULL REFERENCES team_deals(id),
            product_id TEXT NOT NULL REFERENCES products(id),
            team_price_cents INTEGER NOT NULL,
            team_size INTEGER NOT NULL,
            member_count INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'forming' CHECK (status IN ('forming', 'completed', 'failed')),
            opened_by TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            finished_at INTEGER,
            created_at INTEGER NOT NULL,
            CHECK (member_count BETWEEN 0 AND team_size)
        );
        CREATE INDEX teams_by_deal ON teams(deal_id, created_at DESC);
        CREATE TABLE team_members (
            team_id TEXT NOT NULL REFERENCES teams(id),
            account_id TEXT NOT NULL REFERENCES accounts(id),
            position INTEGER NOT NULL,
            address_id TEXT,
            order_id TEXT,
            joined_at INTEGER NOT NULL,
            PRIMARY KEY (team_id, account_id),
            UNIQUE (team_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX team_members_by_account ON team_members(account_id, joined_at DESC, team_id DESC);
        CREATE INDEX team_members_by_order ON team_members(order_id) WHERE order_id IS NOT NULL;
        """
    )

    /// Share links and the orders placed through them (`share_code`, API.md §24).
    static let shares = Migration(
        "1301_create_shares",
        """
        CREATE TABLE shares (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            target_type TEXT NOT NULL CHECK (target_type IN ('product', 'live_session', 'team')),
            target_id TEXT NOT NULL,
            visits INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            UNIQUE (account_id, target_type, target_id)
        );
        CREATE INDEX shares_by_account ON shares(account_id, created_at DESC, id DESC);
        CREATE TABLE order_shares (
            order_id TEXT PRIMARY KEY,
            share_id TEXT NOT NULL REFERENCES shares(id),
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
    )

    /// Referrals: one row per account that signed up with a share code, decided once by its first order.
    /// Invariant: 10 rewarded referrals per sharer per calendar month — the guarded UPDATE of `referral_months`.
    static let referrals = Migration(
        "1302_create_referrals",
        """
        CREATE TABLE referrals (
            account_id TEXT PRIMARY KEY REFERENCES accounts(id),
            share_id TEXT NOT NULL REFERENCES shares(id),
            sharer_id TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rewarded', 'not_rewarded')),
            reason TEXT,
            first_order_id TEXT,
            decided_at INTEGER,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX referrals_by_sharer ON referrals(sharer_id, status);
        CREATE INDEX referrals_by_first_order ON referrals(first_order_id) WHERE first_order_id IS NOT NULL;
        CREATE TABLE referral_months (
            sharer_id TEXT NOT NULL,
            month TEXT NOT NULL,
            rewarded INTEGER NOT NULL DEFAULT 0 CHECK (rewarded BETWEEN 0 AND 10),
            PRIMARY KEY (sharer_id, month)
        ) WITHOUT ROWID;
        CREATE TABLE referral_coupons (
            coupon_id TEXT PRIMARY KEY,
            share_id TEXT NOT NULL REFERENCES shares(id)
        ) WITHOUT ROWID;
        """
    )
}
