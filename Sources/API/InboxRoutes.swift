import Core
import Foundation
import HTTP
import Trust

/// API.md §16: the inbox, notification settings, privacy notices and consents.
enum InboxRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/v1/inbox", .signedIn) { req in
                let german = req.prefersGerman
                let page = try await s.inbox.items(of: req.caller.accountID, unreadOnly: req.query("unread") == "true", page: try req.page())
                return .json(200, CommerceJSON.list(page) { $0.json(german: german) })
            },
            Route(.GET, "/v1/inbox/unread-count", .signedIn) { req in
                .json(200, ["unread": .int(try await s.inbox.unreadCount(of: req.caller.accountID))])
            },
            Route(.POST, "/v1/inbox/{id}/read", .signedIn) { req in
                // 404 before 400, and nothing marked when the body is refused (API.md §24's check order).
                _ = try await s.inbox.item(req.parameter("id"), of: req.caller.accountID)
                _ = try req.body(allowed: [])
                let item = try await s.inbox.markRead(req.parameter("id"), of: req.caller.accountID)
                return .json(200, item.json(german: req.prefersGerman))
            },
            Route(.POST, "/v1/inbox/read-all", .signedIn) { req in
                _ = try req.body(allowed: [])
                return .json(200, ["marked": .int(Int64(try await s.inbox.markAllRead(of: req.caller.accountID)))])
            },
            Route(.GET, "/v1/me/notification-settings", .signedIn) { req in
                .json(200, try await s.inbox.settings(of: req.caller.accountID).json)
            },
            Route(.PATCH, "/v1/me/notification-settings", .signedIn) { req in
                let change = try settingsChange(try req.body(
                    allowed: ["live", "social", "feedback", "quiet_hours", "time_zone", "max_offers_per_week"]
                ))
                return .json(200, try await s.inbox.updateSettings(of: req.caller.accountID, change).json)
            },
            Route(.GET, "/v1/privacy/notices", .everyone) { req in
                let german = req.prefersGerman
                let notices = ConsentPurpose.allCases.compactMap { s.inbox.notices[$0] }.map { notice -> JSON in
                    [
                        "purpose": .string(notice.purpose.rawValue), "version": .string(notice.version),
                        "title": .string(notice.title.text(german: german)), "text": .string(notice.text.text(german: german)),
                    ]
                }
                return .json(200, ["data": .array(notices)])
            },
            Route(.PUT, "/v1/me/consents/{purpose}", .signedIn) { req in
                let purpose = req.parameter("purpose")
                guard ConsentPurpose(rawValue: purpose) != nil else { throw TrustError.purposeNotFound(purpose) }
                let body = try req.body(allowed: ["granted", "notice_version"])
                guard let granted = try body.optionalBool("granted") else { throw Failure.invalid("granted", "is required") }
                let record = try await s.inbox.setConsent(
                    purpose, granted: granted, noticeVersion: try body.optionalString("notice_version"), for: req.caller.accountID
                )
                return .json(200, record.json)
            },
            Route(.GET, "/v1/me/consents", .signedIn) { req in
                let (current, history) = try await s.inbox.consents(of: req.caller.accountID)
                let data = current.map { purpose, record -> JSON in
                    [
                        "purpose": .string(purpose.rawValue), "granted": .bool(record?.granted ?? false),
                        "notice_version": JSON(record?.noticeVersion),
                        "updated_at": record.map { CommerceJSON.time($0.createdAt) } ?? .null,
                    ]
                }
                return .json(200, ["data": .array(data), "history": .array(history.map(\.json))])
            },
        ]
    }

    /// Reads a PATCH of the settings; errors name `quiet_hours.start` or `quiet_hours.end` (API.md §24).
    static func settingsChange(_ body: Body) throws -> @Sendable (inout NotificationSettings) -> Void {
        let live = try body.optionalBool("live")
        let social = try body.optionalBool("social")
        let feedback = try body.optionalBool("feedback")
        let maxOffers = try body.optionalInt("max_offers_per_week", 0...20)
        var zone: String?
        if body.has("time_zone") {
            let name = try body.string("time_zone")
            // IANA names only: "Europe/Berlin", "UTC"; not abbreviations or offsets.
            guard TimeZone.knownTimeZoneIdentifiers.contains(name) || name == "UTC" else {
                throw Failure.invalid("time_zone", "must be an IANA time zone such as Europe/Berlin")
            }
            zone = name
        }
        var quiet: (Int, Int)??
        if body.has("quiet_hours") {
            if body.isNull("quiet_hours") {
                quiet = .some(nil)
            } else {
                let hours = try body.object("quiet_hours", allowed: ["start", "end"])
                guard let start = QuietHours.minutes(try hours.string("start")) else {
                    throw Failure.invalid("quiet_hours.start", "must be a time HH:MM")
                }
                guard let end = QuietHours.minutes(try hours.string("end")) else {
                    throw Failure.invalid("quiet_hours.end", "must be a time HH:MM")
                }
                quiet = .some((start, end))
            }
        }
        let (chosenQuiet, chosenZone) = (quiet, zone)
        return { settings in
            if let live { settings.live = live }
            if let social { settings.social = social }
            if let feedback { settings.feedback = feedback }
            if let maxOffers { settings.maxOffersPerWeek = Int(maxOffers) }
            if let chosenZone { settings.timeZone = chosenZone }
            if let chosenQuiet { settings.quietHours = chosenQuiet.map { (start: $0.0, end: $0.1) } }
        }
    }
}

extension NotificationSettings {
    var json: JSON {
        [
            "live": .bool(live), "social": .bool(social), "feedback": .bool(feedback),
            "quiet_hours": quietHours.map { ["start": .string(QuietHours.text($0.start)), "end": .string(QuietHours.text($0.end))] } ?? .null,
            "time_zone": .string(timeZone), "max_offers_per_week": .int(Int64(maxOffersPerWeek)),
        ]
    }
}

extension ConsentRecord {
    var json: JSON {
        [
            "id": .string(id), "purpose": .string(purpose.rawValue), "granted": .bool(granted),
            "notice_version": JSON(noticeVersion), "created_at": CommerceJSON.time(createdAt),
        ]
    }
}

extension APIRequest {
    /// Whether `Accept-Language` ranks German above English (RFC 9110 §12.5.4); English otherwise.
    var prefersGerman: Bool {
        guard let header = http.headers["Accept-Language"] else { return false }
        var best: (quality: Double, german: Bool)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";")
            let tag = pieces[0].trimmingSpaces.lowercased()
            var quality = 1.0
            for parameter in pieces.dropFirst() {
                let text = parameter.trimmingSpaces
                if text.hasPrefix("q="), let q = Double(text.dropFirst(2)) { quality = q }
            }
            let german = tag == "de" || tag.hasPrefix("de-")
            guard german || tag == "en" || tag.hasPrefix("en-") else { continue }
            if best == nil || quality > best!.quality { best = (quality, german) }
        }
        return best?.german ?? false
    }
}
