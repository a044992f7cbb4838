import Core
import Coupons
import Storage

extension GameService {
    /// Every play of an account, newest first (its data export, API.md §16).
    public static func plays(of accountID: String, in db: Connection) throws -> [Play] {
        try db.query("SELECT * FROM game_plays WHERE account_id = ? ORDER BY created_at DESC, nonce DESC", accountID)
            .map { try play(from: $0, in: db) }
    }

    static func play(from row: Row, in db: Connection) throws -> Play {
        let labels = (try? JSONParser.parse(Array(row.string("prizes_in_draw").utf8)))?.arrayValue ?? []
        return Play(
            id: row.string("id"), gameID: row.string("game_id"), accountID: row.string("account_id"),
            label: row.string("outcome_label"),
            coupon: try row.optionalString("coupon_id").flatMap { try CouponEngine.coupon($0, in: db) },
            serverSeedHash: row.string("server_seed_hash"), clientSeed: row.string("client_seed"),
            nonce: row.int64("nonce"), roll: row.string("roll"), prizesInDraw: labels.compactMap(\.stringValue),
            prizeTable: row.optionalString("prize_table"), createdAt: row.int64("created_at")
        )
    }
}
