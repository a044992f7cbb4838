import Storage

public enum CouponMigrations {
    public static let all: [Migration] = [
        Migration(
            "0300_create_campaigns_and_coupons",
            """
            CREATE TABLE campaigns (
                id TEXT PRIMARY KEY,
                key TEXT UNIQUE,
                name TEXT NOT NULL,
                discount_type TEXT NOT NULL CHECK (discount_type IN ('percent', 'fixed')),
                discount_value INTEGER NOT NULL CHECK (discount_value > 0),
                min_spend_cents INTEGER NOT NULL DEFAULT 0,
                max_discount_cents INTEGER,
                valid_from INTEGER NOT NULL,
                valid_until INTEGER NOT NULL,
                max_coupons INTEGER NOT NULL,
                per_account_limit INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
                issued INTEGER NOT NULL DEFAULT 0,
                reserved INTEGER NOT NULL DEFAULT 0,
                redeemed INTEGER NOT NULL DEFAULT 0,
                discount_granted_cents INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                CHECK (issued + reserved <= max_coupons)
            );
            CREATE INDEX campaigns_by_time ON campaigns(created_at DESC, id DESC);
            CREATE TABLE coupons (
                id TEXT PRIMARY KEY,
                campaign_id TEXT NOT NULL REFERENCES campaigns(id),
                account_id TEXT NOT NULL REFERENCES accounts(id),
                code TEXT UNIQUE,
                source TEXT NOT NULL,
                redeemed_order_id TEXT UNIQUE,
                redeemed_at INTEGER,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX coupons_by_account ON coupons(account_id, created_at DESC, id DESC);
            CREATE INDEX coupons_by_campaign_account ON coupons(campaign_id, account_id);
            """
        ),
        // Codes waiting to be claimed. The primary key makes every code unique across the deployment; the claimed
        // coupon also keeps its code (`coupons.code`). WITHOUT ROWID: the code is the only lookup key.
        Migration(
            "0301_create_campaign_codes",
            """
            CREATE TABLE campaign_codes (
                code TEXT PRIMARY KEY,
                campaign_id TEXT NOT NULL REFERENCES campaigns(id),
                coupon_id TEXT UNIQUE REFERENCES coupons(id),
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX campaign_codes_by_campaign ON campaign_codes(campaign_id, created_at DESC, code DESC);
            CREATE TABLE campaign_code_patterns (
                pattern TEXT PRIMARY KEY,
                codes INTEGER NOT NULL
            ) WITHOUT ROWID;
            """
        ),
        Migration(
            "0302_coupon_fixed_discount",
            """
            -- A goodwill coupon's own fixed amount (API.md §18), instead of its campaign's discount.
            ALTER TABLE coupons ADD COLUMN fixed_discount_cents INTEGER;
            """
        ),
    ]
}
