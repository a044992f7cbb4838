import Storage

/// The team-buy invariants `basar check` verifies (issue 21): what the guarded member counter and the settling
/// transactions promise, recomputed from the rows.
public enum TeamCheck {
    /// The number of teams that break one of these: `member_count` equals the team's member rows; a forming team is
    /// not full; a completed team is full and every member has an order; a failed team has no member with an order.
    public static func inconsistentTeams(in db: Connection) throws -> Int64 {
        try db.scalar(
            """
            SELECT COUNT(*) FROM (
                SELECT t.status, t.team_size, t.member_count,
                       COUNT(m.account_id) AS members, COUNT(m.order_id) AS ordered
                FROM teams t LEFT JOIN team_members m ON m.team_id = t.id
                GROUP BY t.id
            )
            WHERE member_count <> members
               OR (status = 'forming' AND member_count >= team_size)
               OR (status = 'completed' AND (member_count <> team_size OR ordered <> members))
               OR (status = 'failed' AND ordered > 0)
            """
        ) ?? 0
    }
}
