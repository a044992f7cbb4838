import Core
import Payments
import Storage
import Support
import Trust

/// The feedback loop (API.md §19): invitations at the right moment from the event log through the scheduler, a
/// personal answer to a detractor within 48 h, and a recovery invitation 7 days after that case is resolved.
public final class SurveyService: Sendable {
    public static let consumerName = "surveys"
    static let inviteJob = "survey.invite"
    static let lifetimeSeconds: Int64 = 14 * 86_400
    static let throttleSeconds: Int64 = 30 * 86_400
    static let recoveryDelaySeconds: Int64 = 7 * 86_400

    public let surveys: [Survey]
    let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator

    public init(surveys: [Survey], database: Database, clock: any WallClock, ids: IDGenerator) {
        self.surveys = surveys
        self.database = database
        self.clock = clock
        self.ids = ids
    }

    public static var migration: Migration { FeedbackStore.migration }

    // MARK: - Invitations from the log

    public var consumer: EventConsumer {
        EventConsumer(name: Self.consumerName, names: Set(surveys.map(\.event)).union([SupportEvent.resolved])) { [self] event, db in
            try handle(event, in: db)
        }
    }

    public func register(on scheduler: Scheduler) {
        scheduler.handle(Self.inviteJob) { [self] job, now, db in
            guard let survey = surveys.first(where: { $0.name == job.data["survey"]?.stringValue }),
                  let account = job.data["account_id"]?.stringValue, let type = job.data["type"]?.stringValue,
                  let subject = job.data["id"]?.stringValue
            else { return }
            try invite(survey, account: account, type: type, subject: subject, recovery: job.data["recovery"]?.boolValue ?? false, now: now, in: db)
        }
    }

    func handle(_ event: DomainEvent, in db: any Transaction) throws {
        let data = event.data
        // A resolved feedback case: the same survey again in 7 days, past the throttle.
        if event.name == SupportEvent.resolved, data["kind"]?.stringValue == "feedback",
           let conversation = data["conversation_id"]?.stringValue,
           let origin = try FeedbackStore.invitation(ofCase: conversation, in: db)
        {
            try schedule(
                origin.survey, account: origin.accountID, type: origin.subjectType,
                subject: origin.subjectID, recovery: true, at: event.createdAt + Self.recoveryDelaySeconds, in: db
            )
            return
        }
        for survey in surveys where survey.event == event.name {
            switch survey.event {
            case OrderEvent.delivered:
                guard data["fulfillment_status"]?.stringValue == "delivered", let order = data["id"]?.stringValue,
                      let account = data["account_id"]?.stringValue
                else { continue }
                try schedule(survey.name, account: account, type: "order", subject: order, recovery: false, at: event.createdAt + survey.delaySeconds, in: db)
            case SupportEvent.resolved:
                guard data["kind"]?.stringValue == "support", let id = data["conversation_id"]?.stringValue,
                      let account = data["account_id"]?.stringValue
                else { continue }
                try schedule(survey.name, account: account, type: "conversation", subject: id, recovery: false, at: event.createdAt + survey.delaySeconds, in: db)
            case OrderEvent.refundCreated:
                guard let refund = data["refund_id"]?.stringValue, let account = data["account_id"]?.stringValue else { continue }
                try schedule(survey.name, account: account, type: "refund", subject: refund, recovery: false, at: event.createdAt + survey.delaySeconds, in: db)
            default:
                continue
            }
        }
    }

    func schedule(_ survey: String, account: String, type: String, subject: String, recovery: Bool, at: Int64, in db: any Transaction) throws {
        try Scheduler.schedule(
            Self.inviteJob, key: "\(survey)|\(subject)|\(recovery)", at: at,
            data: ["survey": .string(survey), "account_id": .string(account), "type": .string(type), "id": .string(subject), "recovery": .bool(recovery)],
            in: db
        )
    }

    /// Creates the invitation when its rules allow, and its `feedback` inbox item through the send path.
    /// - Returns: the invitation, nil when a rule held it back or it exists already.
    @discardableResult
    func invite(
        _ survey: Survey, account: String, type: String, subject: String, recovery: Bool, now: Int64, in db: any Transaction
    ) throws -> Invitation? {
        // A fully refunded order gets no survey (API.md §24).
        if type == "order", try OrderStore.order(subject, in: db)?.status == .refunded { return nil }
        if survey.isThrottled, !recovery {
            let throttled = surveys.filter(\.isThrottled).map(\.name)
            guard try FeedbackStore.throttled(account, surveys: throttled, since: now - Self.throttleSeconds, in: db) == 0 else { return nil }
        }
        let invitation = Invitation(
            id: ids.next("inv"), accountID: account, survey: survey.name, subjectType: type, subjectID: subject,
            recovery: recovery, expiresAt: now + Self.lifetimeSeconds, createdAt: now
        )
        guard try FeedbackStore.insert(invitation, in: db) else { return nil }
        // The invitation exists even when the feedback setting holds its item back (API.md §24).
        _ = try SendPath.send(OutgoingMessage(
            accountID: account, category: .feedback, rule: survey.name,
            title: LocalizedText(en: "A quick question", de: "Eine kurze Frage"), body: survey.question,
            link: "/v1/surveys/pending", data: [
                "invitation_id": .string(invitation.id), "survey": .string(survey.name),
                "scale": ["min": .int(survey.scale.lowerBound), "max": .int(survey.scale.upperBound)],
            ]
        ), ids: ids, now: now, in: db)
        return invitation
    }

    // MARK: - Answers

    /// Invites now what the scheduler would invite at the due time, by the same rules (throttle, refunded orders):
    /// the demo loader's answers on the server's first day. - Returns: the invitation, nil when the rules held it back.
    public func inviteNow(_ surveyName: String, account: String, subjectType: String, subject: String) async throws -> Invitation? {
        guard let survey = surveys.first(where: { $0.name == surveyName }) else { return nil }
        let now = clock.now().epochSeconds
        return try await database.write { [self] db in
            try invite(survey, account: account, type: subjectType, subject: subject, recovery: false, now: now, in: db)
        }
    }

    /// The caller's open invitations, newest first (expired ones left out).
    public func pending(of accountID: String) async throws -> [Invitation] {
        let now = clock.now().epochSeconds
        return try await database.read { db in try FeedbackStore.pending(of: accountID, now: now, in: db) }
    }

    /// The invitation if the caller owns it. - Throws: `404`.
    public func invitation(_ id: String, of accountID: String) async throws -> Invitation {
        guard let invitation = try await database.read({ db in try FeedbackStore.invitation(id, in: db) }),
              invitation.accountID == accountID
        else { throw SurveyError.invitationNotFound(id) }
        return invitation
    }

    /// Answers an invitation; a detractor's answer opens a `feedback` conversation in the same transaction.
    ///
    /// - Throws: `404`, `400` naming `score` off the scale, `409 already_answered`, `422 expired`.
    public func respond(to id: String, score: Int64, comment: String?, by accountID: String) async throws -> SurveyResponse {
        let now = clock.now().epochSeconds
        let ids = self.ids
        let surveys = self.surveys
        return try await database.write { db in
            guard let invitation = try FeedbackStore.invitation(id, in: db), invitation.accountID == accountID,
                  let survey = surveys.first(where: { $0.name == invitation.survey })
            else { throw SurveyError.invitationNotFound(id) }
            guard survey.scale.contains(score) else {
                throw Failure.invalid("score", "must be from \(survey.scale.lowerBound) to \(survey.scale.upperBound)")
            }
            let response = SurveyResponse(id: ids.next("rsp"), invitationID: id, score: score, comment: comment, createdAt: now)
            guard try FeedbackStore.insert(response, account: accountID, survey: survey.name, in: db) else {
                throw SurveyError.alreadyAnswered
            }
            guard now < invitation.expiresAt else { throw SurveyError.expired }
            if survey.isDetractor(score) {
                let text = comment.flatMap { $0.isEmpty ? nil : $0 } ?? "My answer: \(score) of \(survey.scale.upperBound)."
                let conversation = try ConversationService.open(
                    .feedback, customer: accountID, subject: "Feedback: \(survey.name) \(score)/\(survey.scale.upperBound)",
                    text: text, orderID: invitation.subjectType == "order" ? invitation.subjectID : nil, ids: ids, now: now, in: db
                )
                try FeedbackStore.insertCase(conversation: conversation.id, response: response.id, account: accountID, now: now, in: db)
            }
            return response
        }
    }

    /// Every answer of an account (its data export).
    public static func responses(of accountID: String, in db: any Transaction) throws -> [SurveyResponse] {
        try FeedbackStore.responses(of: accountID, in: db)
    }

    /// Erasure: the account's comments go.
    public static func erase(_ accountID: String, in db: any Transaction) throws {
        try FeedbackStore.eraseComments(of: accountID, in: db)
    }
}
