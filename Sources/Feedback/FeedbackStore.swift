import Core
import Storage

/// The SQL of invitations, responses and feedback cases.
enum FeedbackStore {
    static let migration = Migration(
        "1100_create_surveys",
        """
        CREATE TABLE survey_invitations (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            survey TEXT NOT NULL,
            subject_type TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            recovery INTEGER NOT NULL DEFAULT 0,
            expires_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        -- Invariant: one first invitation per survey and subject (a conversation resolved twice invites once);
        -- a recovery invitation is the one exception.
        CREATE UNIQUE INDEX survey_invitations_once ON survey_invitations(survey, subject_id, recovery);
        CREATE INDEX survey_invitations_by_account ON survey_invitations(account_id, created_at);
        CREATE INDEX survey_invitations_by_time ON survey_invitations(created_at);
        CREATE TABLE survey_responses (
            id TEXT PRIMARY KEY,
            invitation_id TEXT NOT NULL UNIQUE REFERENCES survey_invitations(id),
            account_id TEXT NOT NULL,
            survey TEXT NOT NULL,
            score INTEGER NOT NULL,
            comment TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX survey_responses_by_time ON survey_responses(survey, created_at);
        CREATE INDEX survey_responses_by_account ON survey_responses(account_id, created_at);
        -- A detractor's answer and the feedback conversation it opened.
        CREATE TABLE feedback_cases (
            conversation_id TEXT PRIMARY KEY,
            response_id TEXT NOT NULL UNIQUE,
            account_id TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        """
    )

    /// Inserts unless the survey already invited for this subject. - Returns: whether it was inserted.
    static func insert(_ i: Invitation, in db: any Transaction) throws -> Bool {
        try db.run(
            """
            INSERT INTO survey_invitations (id, account_id, survey, subject_type, subject_id, recovery, expires_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """,
            i.id, i.accountID, i.survey, i.subjectType, i.subjectID, i.recovery, i.expiresAt, i.createdAt
        ) == 1
    }

    /// Throttled invitations of an account since `since` (the 30 days), recovery invitations excluded.
    static func throttled(_ accountID: String, surveys: [String], since: Int64, in db: any Transaction) throws -> Int64 {
        guard !surveys.isEmpty else { return 0 }
        // The account's row stays locked until the caller's invitation is written.
        try db.lockOwner(in: "accounts", key: accountID)
        let marks = surveys.map { _ in "?" }.joined(separator: ", ")
        return try db.query(
            """
            SELECT COUNT(*) AS n FROM survey_invitations
            WHERE account_id = ? AND recovery = 0 AND created_at > ? AND survey IN (\(marks))
            """,
            arguments: [accountID, since] + surveys
        ).first?.int64("n") ?? 0
    }

    static func invitation(_ id: String, in db: any Transaction) throws -> Invitation? {
        try db.queryOne("SELECT * FROM survey_invitations WHERE id = ?", id).map(invitation(from:))
    }

    static func pending(of accountID: String, now: Int64, in db: any Transaction) throws -> [Invitation] {
        try db.query(
            """
            SELECT i.* FROM survey_invitations i WHERE i.account_id = ? AND i.expires_at > ?
                AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.invitation_id = i.id)
            ORDER BY i.created_at DESC, i.id DESC
            """,
            accountID, now
        ).map(invitation(from:))
    }

    static func insert(_ r: SurveyResponse, account: String, survey: String, in db: any Transaction) throws -> Bool {
        try db.run(
            """
            INSERT INTO survey_responses (id, invitation_id, account_id, survey, score, comment, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (invitation_id) DO NOTHING
            """,
            r.id, r.invitationID, account, survey, r.score, r.comment, r.createdAt
        ) == 1
    }

    static func responses(of accountID: String, in db: any Transaction) throws -> [SurveyResponse] {
        try db.query("SELECT * FROM survey_responses WHERE account_id = ? ORDER BY created_at DESC, id DESC", accountID).map {
            SurveyResponse(
                id: $0.string("id"), invitationID: $0.string("invitation_id"), score: $0.int64("score"),
                comment: $0.optionalString("comment"), createdAt: $0.int64("created_at")
            )
        }
    }

    /// Erasure: the account's comments go.
    static func eraseComments(of accountID: String, in db: any Transaction) throws {
        try db.run("UPDATE survey_responses SET comment = NULL WHERE account_id = ?", accountID)
    }

    // MARK: - Feedback cases

    static func insertCase(conversation: String, response: String, account: String, now: Int64, in db: any Transaction) throws {
        // Invariant: one case per answer and per conversation — the primary key and UNIQUE (response_id).
        try db.run(
            "INSERT INTO feedback_cases (conversation_id, response_id, account_id, created_at) VALUES (?, ?, ?, ?)",
            conversation, response, account, now
        )
    }

    /// The invitation whose answer opened the feedback conversation, if it is one.
    static func invitation(ofCase conversationID: String, in db: any Transaction) throws -> Invitation? {
        try db.queryOne(
            """
            SELECT i.* FROM feedback_cases f
            JOIN survey_responses r ON r.id = f.response_id JOIN survey_invitations i ON i.id = r.invitation_id
            WHERE f.conversation_id = ?
            """,
            conversationID
        ).map(invitation(from:))
    }

    static func invitation(from row: Row) -> Invitation {
        Invitation(
            id: row.string("id"), accountID: row.string("account_id"), survey: row.string("survey"),
            subjectType: row.string("subject_type"), subjectID: row.string("subject_id"), recovery: row.bool("recovery"),
            expiresAt: row.int64("expires_at"), createdAt: row.int64("created_at")
        )
    }
}
