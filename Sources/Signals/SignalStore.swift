import Core
import Storage

/// The signal engine's SQL: its trigger counts, and reporting reads of the send log and orders.
enum SignalStore {
    static func recordTrigger(_ rule: String, account: String, now: Int64, in db: any Transaction) throws {
        try db.run("INSERT INTO signal_triggers (rule, account_id, created_at) VALUES (?, ?, ?)", rule, account, now)
    }

    /// ``recordTrigger(_:account:now:in:)`` for a page of accounts.
    static func recordTriggers(_ rule: String, accounts: [String], now: Int64, in db: any Transaction) throws {
        try db.insertRows(
            "INSERT INTO signal_triggers (rule, account_id, created_at) VALUES", columns: 3, count: accounts.count
        ) { i, arguments in
            arguments += [rule, accounts[i], now]
        }
    }

    /// Events of one name in a stream from `since`, up to and including the event `upTo`.
    static func count(_ name: String, stream: String, since: Int64, upTo id: Int64, in db: any Transaction) throws -> Int64 {
        try db.scalar(
            "SELECT COUNT(*) FROM domain_events WHERE stream = ? AND name = ? AND created_at >= ? AND id <= ?",
            stream, name, since, id
        ) ?? 0
    }

    /// Items of a rule sent to an account since `since` (its cap counts from the items sent).
    static func sent(_ rule: String, to account: String, since: Int64, in db: any Transaction) throws -> Int64 {
        try db.scalar(
            "SELECT COUNT(*) FROM send_log WHERE account_id = ? AND rule = ? AND outcome = 'sent' AND created_at > ?",
            account, rule, since
        ) ?? 0
    }

    static func triggered(_ rule: String, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM signal_triggers WHERE rule = ?", rule) ?? 0
    }

    /// Accounts with an outcome of a rule, and how many of them placed a paid order within 7 days after one, and
    /// those orders' revenue net of refunds. A reporting read across the send log and orders.
    static func conversion(_ rule: String, outcome: String, in db: any Transaction) throws -> (accounts: Int64, converted: Int64, revenue: Int64) {
        let accounts = try db.scalar(
            "SELECT COUNT(DISTINCT account_id) FROM send_log WHERE rule = ? AND outcome = ?", rule, outcome
        ) ?? 0
        let row = try db.queryOne(
            """
            SELECT COUNT(DISTINCT o.account_id) AS converted, COALESCE(SUM(o.total_cents - o.refunded_cents), 0) AS revenue
            FROM orders o WHERE o.status <> 'refunded' AND EXISTS (
                SELECT 1 FROM send_log s WHERE s.rule = ? AND s.outcome = ? AND s.account_id = o.account_id
                    AND o.created_at >= s.created_at AND o.created_at <= s.created_at + 604800)
            """,
            rule, outcome
        )
        return (accounts, row?.int64("converted") ?? 0, row?.int64("revenue") ?? 0)
    }

    /// Of `accounts`, those following `host` (IN lists of at most 500).
    static func followers(of host: String, among accounts: [String], in db: any Transaction) throws -> [String] {
        var found: [String] = []
        for start in stride(from: 0, to: accounts.count, by: 500) {
            let chunk = Array(accounts[start..<min(start + 500, accounts.count)])
            let marks = chunk.map { _ in "?" }.joined(separator: ", ")
            found += try db.query(
                "SELECT follower_id FROM follows WHERE host_id = ? AND follower_id IN (\(marks)) ORDER BY follower_id",
                arguments: [host] + chunk
            ).map { $0.string("follower_id") }
        }
        return found
    }

    /// Followers to serve ahead of the pages (they were watching); the pages pass over them. One row each until the
    /// fan-out's last page.
    static func markServedFirst(_ event: Int64, accounts: [String], in db: any Transaction) throws {
        try db.insertRows(
            "INSERT INTO signal_fanout_first (event_id, account_id) VALUES", columns: 2, count: accounts.count,
            tail: "ON CONFLICT DO NOTHING"
        ) { index, values in values += [event, accounts[index]] }
    }

    /// The next of them in account order, for the jobs that serve them.
    static func servedFirst(_ event: Int64, after: String, limit: Int, in db: any Transaction) throws -> [String] {
        try db.query(
            "SELECT account_id FROM signal_fanout_first WHERE event_id = ? AND account_id > ? ORDER BY account_id LIMIT ?",
            event, after, Int64(limit)
        ).map { $0.string("account_id") }
    }

    static func servedFirst(_ event: Int64, among accounts: [String], in db: any Transaction) throws -> Set<String> {
        guard !accounts.isEmpty else { return [] }
        let marks = accounts.map { _ in "?" }.joined(separator: ", ")
        return Set(try db.query(
            "SELECT account_id FROM signal_fanout_first WHERE event_id = ? AND account_id IN (\(marks))",
            arguments: [event] + accounts
        ).map { $0.string("account_id") })
    }

    static func forgetServedFirst(_ event: Int64, in db: any Transaction) throws {
        try db.run("DELETE FROM signal_fanout_first WHERE event_id = ?", event)
    }
}
