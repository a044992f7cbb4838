import Core
import Storage

/// The experiments' SQL: experiments, exposures, and the reporting read of results across exposures and orders.
enum ExperimentStore {
    static let columns = "id, key, description, variants, status, salt, salt_hash, created_at, stopped_at"

    /// Inserts an experiment; `false` when its key is taken (the UNIQUE index decides, under any concurrency).
    static func insert(_ e: Experiment, in db: any Transaction) throws -> Bool {
        let variants = JSON.array(e.variants.map { ["key": .string($0.key), "weight": .int($0.weight)] })
        return try db.run(
            """
            INSERT INTO experiments (id, key, description, variants, status, salt, salt_hash, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING
            """,
            e.id, e.key, e.description, variants.serializedString(), e.status.rawValue, e.salt, e.saltHash, e.createdAt
        ) == 1
    }

    static func experiment(key: String, in db: any Transaction) throws -> Experiment? {
        try db.queryOne("SELECT \(columns) FROM experiments WHERE key = ?", key).map(experiment(from:))
    }

    static func experiments(page: PageRequest, in db: any Transaction) throws -> Page<Experiment> {
        try Keyset.newestFirst(
            "SELECT \(columns) FROM experiments", conditions: [], arguments: [], page: page, in: db,
            map: experiment(from:), key: { ($0.createdAt, $0.id) }
        )
    }

    /// Stops a running experiment. - Returns: whether it was running.
    static func stop(key: String, now: Int64, in db: any Transaction) throws -> Bool {
        try db.run(
            "UPDATE experiments SET status = 'stopped', stopped_at = ? WHERE key = ? AND status = 'running'", now, key
        ) == 1
    }

    static func hasExposure(_ experimentID: String, accountID: String, in db: any Transaction) throws -> Bool {
        try db.scalar(
            "SELECT 1 FROM experiment_exposures WHERE experiment_id = ? AND account_id = ?", experimentID, accountID
        ) != nil
    }

    /// Records the first exposure; a later one changes nothing. - Returns: whether this was the first.
    static func recordExposure(_ experimentID: String, accountID: String, variant: String, now: Int64, in db: any Transaction) throws -> Bool {
        try db.run(
            """
            INSERT INTO experiment_exposures (experiment_id, account_id, variant, exposed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (experiment_id, account_id) DO NOTHING
            """,
            experimentID, accountID, variant, now
        ) == 1
    }

    static func exposures(of accountID: String, in db: any Transaction) throws -> [ExperimentExposure] {
        try db.query(
            """
            SELECT e.key, x.variant, x.exposed_at FROM experiment_exposures x JOIN experiments e ON e.id = x.experiment_id
            WHERE x.account_id = ? ORDER BY x.exposed_at DESC, e.key
            """,
            accountID
        ).map { ExperimentExposure(experimentKey: $0.string("key"), variant: $0.string("variant"), exposedAt: $0.int64("exposed_at")) }
    }

    static func deleteExposures(of accountID: String, in db: any Transaction) throws {
        try db.run("DELETE FROM experiment_exposures WHERE account_id = ?", accountID)
    }

    /// Per variant: distinct exposed accounts, those with a paid order (not fully refunded, API.md §24) placed within
    /// 7 days after their first exposure, and those orders' totals net of refunds. A reporting read across
    /// exposures and Payments' orders (through `orders_by_account`).
    static func figures(of experimentID: String, in db: any Transaction) throws -> [String: (exposed: Int64, converted: Int64, revenue: Int64)] {
        var figures: [String: (exposed: Int64, converted: Int64, revenue: Int64)] = [:]
        for row in try db.query(
            "SELECT variant, COUNT(*) AS exposed FROM experiment_exposures WHERE experiment_id = ? GROUP BY variant",
            experimentID
        ) {
            figures[row.string("variant")] = (row.int64("exposed"), 0, 0)
        }
        for row in try db.query(
            """
            SELECT x.variant, COUNT(DISTINCT o.account_id) AS converted,
                COALESCE(SUM(o.total_cents - o.refunded_cents), 0) AS revenue
            FROM experiment_exposures x JOIN orders o ON o.account_id = x.account_id
            WHERE x.experiment_id = ? AND o.status <> 'refunded'
                AND o.created_at >= x.exposed_at AND o.created_at <= x.exposed_at + ?
            GROUP BY x.variant
            """,
            experimentID, ExperimentService.conversionWindowSeconds
        ) {
            let variant = row.string("variant")
            figures[variant, default: (0, 0, 0)].converted = row.int64("converted")
            figures[variant, default: (0, 0, 0)].revenue = row.int64("revenue")
        }
        return figures
    }

    static func experiment(from row: Row) -> Experiment {
        let variants = ((try? JSONParser.parse(Array(row.string("variants").utf8)))?.arrayValue ?? []).map {
            Experiment.Variant(key: $0["key"]?.stringValue ?? "", weight: $0["weight"]?.intValue ?? 1)
        }
        return Experiment(
            id: row.string("id"), key: row.string("key"), description: row.optionalString("description"),
            variants: variants, status: Experiment.Status(rawValue: row.string("status")) ?? .running,
            salt: row.string("salt"), saltHash: row.string("salt_hash"), createdAt: row.int64("created_at"),
            stoppedAt: row.optionalInt64("stopped_at")
        )
    }
}
