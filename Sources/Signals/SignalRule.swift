import Core
import Foundation
import Trust

/// One signal rule, read from `Content/signals/<name>.json` (documented in `Content/signals/README.md`).
public struct SignalRule: Sendable, Equatable {
    public struct Trigger: Sendable, Equatable {
        /// The event name in the log, such as `cart.updated`.
        public var event: String
        /// A number field of the event's data that must be above a value (`lines` above 0: a cart with items).
        public var above: (field: String, value: Int64)?
        /// Fire on exactly the `count`-th such event within `withinSeconds` (a burst counts once).
        public var count: Int64?
        public var withinSeconds: Int64?

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.event == rhs.event && lhs.above?.field == rhs.above?.field && lhs.above?.value == rhs.above?.value
                && lhs.count == rhs.count && lhs.withinSeconds == rhs.withinSeconds
        }
    }

    public var name: String
    public var trigger: Trigger
    /// `account` (the event's account) or `followers` (of the event's `host_id`).
    public var audience: String
    /// Checked again this long after the last trigger; 0 acts at once.
    public var delaySeconds: Int64
    /// Events that cancel a pending check.
    public var cancelOn: [String]
    public var category: InboxCategory
    public var title: LocalizedText
    public var body: LocalizedText
    /// An API path; `{field}` is replaced from the event's data.
    public var link: String?
    public var coupon: CouponRequest?
    /// At most `count` items within `perSeconds`, counted from the items sent.
    public var cap: (count: Int64, perSeconds: Int64)?
    public var holdoutPercent: Int64
    /// The experiment whose variants change the action, if the rule names one.
    public var experiment: ActionExperiment? = nil

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.name == rhs.name }

    /// FNV-1a, 32 bits (API.md §17, §21): the same hash everywhere, so a holdout is reproducible outside Basar.
    public static func fnv1a(_ text: String) -> UInt32 { FNV1a.hash32(text) }

    /// Whether an account is in this rule's holdout: it never gets the item, so uplift can be measured.
    public func isHoldout(_ accountID: String) -> Bool {
        holdoutPercent > 0 && Int64(Self.fnv1a("holdout:\(name):\(accountID)") % 100) < holdoutPercent
    }

    /// `{field}` placeholders filled from the event's data (strings and numbers).
    static func fill(_ template: String, _ data: JSON) -> String {
        guard template.contains("{"), case let .object(members) = data else { return template }
        var text = template
        for (key, value) in members {
            let replacement: String? = value.stringValue ?? value.intValue.map(String.init)
            if let replacement { text = text.replacingOccurrences(of: "{\(key)}", with: replacement) }
        }
        return text
    }

    // MARK: - Loading

    public enum LoadError: Error, CustomStringConvertible {
        case malformed(file: String, field: String)
        public var description: String {
            if case let .malformed(file, field) = self { return "\(file): missing or malformed \(field)" }
            return ""
        }
    }

    /// Every `*.json` of the folder, sorted by name; a malformed file stops start-up with the file and field named.
    public static func load(from folder: URL) throws -> [SignalRule] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let json = try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
            func need<T>(_ value: T?, _ field: String) throws -> T {
                guard let value else { throw LoadError.malformed(file: name, field: field) }
                return value
            }
            func text(_ key: String) throws -> LocalizedText {
                LocalizedText(
                    en: try need(json["action"]?[key]?["en"]?.stringValue, "action.\(key).en"),
                    de: try need(json["action"]?[key]?["de"]?.stringValue, "action.\(key).de")
                )
            }
            var trigger = Trigger(event: try need(json["trigger"]?["event"]?.stringValue, "trigger.event"))
            if let field = json["trigger"]?["above"]?["field"]?.stringValue {
                trigger.above = (field, json["trigger"]?["above"]?["value"]?.intValue ?? 0)
            }
            trigger.count = json["trigger"]?["count"]?.intValue
            trigger.withinSeconds = json["trigger"]?["within_seconds"]?.intValue
            let category = try need(json["action"]?["category"]?.stringValue.flatMap(InboxCategory.init(rawValue:)), "action.category")
            let coupon = try json["action"]?["coupon"].flatMap { try couponRequest($0, field: "action.coupon", file: name) }
            var cap: (Int64, Int64)?
            if let count = json["cap"]?["count"]?.intValue, let per = json["cap"]?["per_seconds"]?.intValue { cap = (count, per) }
            var rule = SignalRule(
                name: try need(json["name"]?.stringValue, "name"), trigger: trigger,
                audience: json["audience"]?.stringValue ?? "account", delaySeconds: json["delay_seconds"]?.intValue ?? 0,
                cancelOn: (json["cancel_on"]?.arrayValue ?? []).compactMap(\.stringValue), category: category,
                title: try text("title"), body: try text("body"), link: json["action"]?["link"]?.stringValue,
                coupon: coupon, cap: cap, holdoutPercent: json["holdout_percent"]?.intValue ?? 0
            )
            rule.experiment = try experiment(
                json["experiment"], defaults: Action(title: rule.title, body: rule.body, link: rule.link, coupon: coupon), file: name
            )
            return rule
        }
    }
}
