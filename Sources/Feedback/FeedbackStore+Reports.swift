import Core
import Storage

/// The reads of the report (indexes: survey_responses(survey, created_at), survey_invitations(created_at),
/// orders_by_account — which covers the orders' status and money columns — and conversations_by_time) and of the
/// patterns: reporting reads across answers, invitations, conversations, orders and products.
extension FeedbackStore {
    // MARK: - Report

    /// The number of answers per survey and score in the window (a few dozen rows for any number of answers).
    static func histogram(from: Int64, to: Int64, in db: any Transaction) throws -> [String: [Int64: Int64]] {
        var counts: [String: [Int64: Int64]] = [:]
        for row in try db.query(
            "SELECT survey, score, COUNT(*) AS n FROM survey_responses WHERE created_at >= ? AND created_at < ? GROUP BY survey, score",
            from, to
        ) {
            counts[row.string("survey"), default: [:]][row.int64("score")] = row.int64("n")
        }
        return counts
    }

    static func invitationCount(from: Int64, to: Int64, in db: any Transaction) throws -> Int64 {
        try db.scalar("SELECT COUNT(*) FROM survey_invitations WHERE created_at >= ? AND created_at < ?", from, to) ?? 0
    }

    /// Feedback conversations created in the window: seconds to the first agent answer (nil when none) and escalation.
    static func cases(from: Int64, to: Int64, in db: any Transaction) throws -> [(firstResponse: Int64?, escalated: Bool)] {
        try db.query(
            "SELECT created_at, first_response_at, escalated FROM conversations WHERE kind = 'feedback' AND created_at >= ? AND created_at < ?",
            from, to
        ).map { row in (row.optionalInt64("first_response_at").map { $0 - row.int64("created_at") }, row.bool("escalated")) }
    }

    /// Recovery answers in the window that are not detractors.
    static func recovered(surveys: [Survey], from: Int64, to: Int64, in db: any Transaction) throws -> Int64 {
        try db.query(
            """
            SELECT r.survey, r.score FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
            WHERE i.recovery = 1 AND r.created_at >= ? AND r.created_at < ?
            """,
            from, to
        ).filter { row in
            guard let survey = surveys.first(where: { $0.name == row.string("survey") }) else { return false }
            return !survey.isDetractor(row.int64("score"))
        }.count.int64
    }

    /// Per group of each account's latest NPS answer in the window: accounts, their orders in the window (count,
    /// total, refunded) and how many placed a paid order within 90 days after their answer. Three aggregate queries
    /// over one CTE, so the cost grows with the rows read, not with one query per account (bench/feedback.sh).
    static func groupFigures(
        _ surveys: [String], from: Int64, to: Int64, in db: any Transaction
    ) throws -> [String: (accounts: Int64, orders: Int64, total: Int64, refunded: Int64, repeaters: Int64)] {
        guard !surveys.isEmpty else { return [:] }
        let marks = surveys.map { _ in "?" }.joined(separator: ", ")
        let latest = """
            WITH latest AS (
                SELECT account_id, created_at AS answered_at,
                    CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'passive' ELSE 'detractor' END AS grp
                FROM (SELECT account_id, score, created_at, ROW_NUMBER() OVER (
                        PARTITION BY account_id ORDER BY created_at DESC, id DESC) AS n
                    FROM survey_responses WHERE survey IN (\(marks)) AND created_at >= ? AND created_at < ?) AS r
                WHERE n = 1)
            """
        let window: [(any SQLBindable)?] = surveys + [from, to]
        var figures: [String: (accounts: Int64, orders: Int64, total: Int64, refunded: Int64, repeaters: Int64)] = [:]
        for row in try db.query(latest + " SELECT grp, COUNT(*) AS n FROM latest GROUP BY grp", arguments: window) {
            figures[row.string("grp")] = (row.int64("n"), 0, 0, 0, 0)
        }
        for row in try db.query(
            latest + """
                 SELECT l.grp, COUNT(o.id) AS n, COALESCE(SUM(o.total_cents), 0) AS total,
                    COALESCE(SUM(o.refunded_cents), 0) AS refunded
                FROM latest l JOIN orders o ON o.account_id = l.account_id AND o.created_at >= ? AND o.created_at < ?
                GROUP BY l.grp
                """,
            arguments: window + [from, to]
        ) {
            let name = row.string("grp")
            figures[name]?.orders = row.int64("n")
            figures[name]?.total = row.int64("total")
            figures[name]?.refunded = row.int64("refunded")
        }
        for row in try db.query(
            latest + """
                 SELECT l.grp, COUNT(*) AS n FROM latest l WHERE EXISTS (
                    SELECT 1 FROM orders o WHERE o.account_id = l.account_id AND o.status <> 'refunded'
                        AND o.created_at > l.answered_at AND o.created_at <= l.answered_at + 7776000)
                GROUP BY l.grp
                """,
            arguments: window
        ) {
            figures[row.string("grp")]?.repeaters = row.int64("n")
        }
        return figures
    }

    // MARK: - Patterns

    /// The answers created in `[from, to)` with what their invitations were about.
    static func answers(
        from: Int64, to: Int64, in db: any Transaction
    ) throws -> [(survey: String, score: Int64, comment: String?, subjectType: String, subjectID: String)] {
        try db.query(
            """
            SELECT r.survey, r.score, r.comment, i.subject_type, i.subject_id FROM survey_responses r
            JOIN survey_invitations i ON i.id = r.invitation_id WHERE r.created_at >= ? AND r.created_at < ?
            """,
            from, to
        ).map { row in
            (
                row.string("survey"), row.int64("score"), row.optionalString("comment"), row.string("subject_type"),
                row.string("subject_id")
            )
        }
    }

    /// The product categories an answer is about: its order's lines, or the refunded order's.
    static func categories(subjectType: String, subjectID id: String, in db: any Transaction) throws -> [String] {
        let order: String?
        switch subjectType {
        case "order": order = id
        case "refund": order = try db.queryOne("SELECT order_id FROM refunds WHERE id = ?", id)?.string("order_id")
        default: order = nil
        }
        guard let order else { return ["(no order)"] }
        let names = try db.query(
            "SELECT DISTINCT p.category FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY p.category",
            order
        ).map { $0.string("category") }
        return names.isEmpty ? ["(no order)"] : names
    }
}
