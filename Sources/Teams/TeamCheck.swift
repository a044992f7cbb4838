import Storage

/// The team-buy invariants `basar check` verifies (issue 21): what the guarded member counter and the settling
/// transactions promise, recomputed from the rows.
public enum TeamCheck {
    /// The number of teams that break one of these: `member_count` equals the team's member rows; a forming team is
    /// not full; a completed team is full and every member has an order; a failed team has no member with an order.
    public static func inconsistentTeams(in db: any Transaction) throws -> Int64 {
        try TeamStore.inconsistentTeams(in: db)
    }
}
