import Core
import Foundation
import Trust

/// A survey from `Content/surveys/<name>.json` (API.md §19).
public struct Survey: Sendable, Equatable {
    public enum Kind: String, Sendable { case nps, csat, ces }

    public var name: String
    public var kind: Kind
    public var scale: ClosedRange<Int64>
    /// The log event that invites: `order.delivered`, `conversation.resolved`, `refund.created`.
    public var event: String
    public var delaySeconds: Int64
    public var question: LocalizedText

    /// NPS 0–6, CSAT 1–2, CES 1–3: an answer that opens a feedback case.
    public func isDetractor(_ score: Int64) -> Bool {
        switch kind {
        case .nps: score <= 6
        case .csat: score <= 2
        case .ces: score <= 3
        }
    }

    /// `nps_delivery` and `ces_refund` share the 30-day throttle; `csat_support` comes once per conversation.
    public var isThrottled: Bool { kind != .csat }

    public static func load(from folder: URL) throws -> [Survey] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let json = try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
            guard let survey = json["name"]?.stringValue, let kind = json["kind"]?.stringValue.flatMap(Kind.init(rawValue:)),
                  let min = json["scale"]?["min"]?.intValue, let max = json["scale"]?["max"]?.intValue, min < max,
                  let event = json["trigger"]?["event"]?.stringValue,
                  let en = json["question"]?["en"]?.stringValue, let de = json["question"]?["de"]?.stringValue
            else { throw SurveyError.malformedFile(name) }
            return Survey(
                name: survey, kind: kind, scale: min...max, event: event,
                delaySeconds: json["trigger"]?["delay_seconds"]?.intValue ?? 0, question: LocalizedText(en: en, de: de)
            )
        }
    }
}

public struct Invitation: Sendable, Equatable {
    public var id: String
    public var accountID: String
    public var survey: String
    public var subjectType: String
    public var subjectID: String
    public var recovery: Bool
    public var expiresAt: Int64
    public var createdAt: Int64
}

public struct SurveyResponse: Sendable, Equatable {
    public var id: String
    public var invitationID: String
    public var score: Int64
    public var comment: String?
    public var createdAt: Int64
}

public enum SurveyError: DomainError, Equatable {
    case invitationNotFound(String)
    case alreadyAnswered
    case expired
    case malformedFile(String)

    public var code: String {
        switch self {
        case .invitationNotFound: "not_found"
        case .alreadyAnswered: "already_answered"
        case .expired: "expired"
        case .malformedFile: "internal"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .invitationNotFound: .notFound
        case .alreadyAnswered: .conflict
        case .expired: .unprocessable
        case .malformedFile: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .invitationNotFound(id): "Invitation \(id) was not found"
        case .alreadyAnswered: "This invitation was answered already"
        case .expired: "This invitation has expired"
        case let .malformedFile(name): "surveys/\(name) is malformed"
        }
    }
}
