import Core
import Storage
import Trust

extension SignalRule {
    /// What a rule sends: the texts, the link and the coupon (the category stays the rule's, so consent, settings
    /// and caps treat every variant alike).
    public struct Action: Sendable, Equatable {
        public var title: LocalizedText
        public var body: LocalizedText
        public var link: String?
        public var coupon: CouponRequest?
    }

    /// An experiment that varies the rule's action (`Content/signals/README.md`): each named variant's action, the
    /// rule's own fields filling in what the variant leaves out; a variant not named acts as the rule does.
    public struct ActionExperiment: Sendable, Equatable {
        public var key: String
        public var variants: [String: Action]
    }

    /// The rule as it acts for `variant`: the variant's action, or the rule's own when the variant has none (the
    /// control) or there is no running experiment (`nil`).
    public func acting(as variant: String?) -> SignalRule {
        guard let variant, let action = experiment?.variants[variant] else { return self }
        var rule = self
        rule.title = action.title
        rule.body = action.body
        rule.link = action.link
        rule.coupon = action.coupon
        return rule
    }

    static let variantFields: Set = ["title", "body", "link", "coupon"]

    /// Reads `"experiment": {"key", "variants": {"<variant>": {"title"?, "body"?, "link"?, "coupon"?}}}`.
    static func experiment(_ json: JSON?, defaults: Action, file: String) throws -> ActionExperiment? {
        guard let json, !json.isNull else { return nil }
        func malformed(_ field: String) -> LoadError { .malformed(file: file, field: "experiment\(field)") }
        guard let key = json["key"]?.stringValue, ExperimentKeys.isValid(key) else { throw malformed(".key") }
        guard case let .object(entries)? = json["variants"], !entries.isEmpty else { throw malformed(".variants") }
        var variants: [String: Action] = [:]
        for (name, change) in entries {
            let path = ".variants.\(name)"
            guard ExperimentKeys.isValidVariant(name), variants[name] == nil else { throw malformed(path) }
            guard case let .object(fields) = change else { throw malformed(path) }
            if let unknown = fields.map(\.0).first(where: { !variantFields.contains($0) }) { throw malformed("\(path).\(unknown)") }
            var action = defaults
            for text in ["title", "body"] {
                guard let value = change[text] else { continue }
                guard let en = value["en"]?.stringValue, let de = value["de"]?.stringValue else { throw malformed("\(path).\(text)") }
                if text == "title" { action.title = LocalizedText(en: en, de: de) } else { action.body = LocalizedText(en: en, de: de) }
            }
            if let link = change["link"] {
                guard link.isNull || link.stringValue != nil else { throw malformed("\(path).link") }
                action.link = link.stringValue
            }
            if let coupon = change["coupon"] {
                action.coupon = try couponRequest(coupon, field: "experiment\(path).coupon", file: file)
            }
            variants[name] = action
        }
        return ActionExperiment(key: key, variants: variants)
    }

    /// `{"campaign_key", "source"?}` or `null` (no coupon).
    static func couponRequest(_ json: JSON, field: String, file: String) throws -> CouponRequest? {
        if json.isNull { return nil }
        guard let key = json["campaign_key"]?.stringValue else { throw LoadError.malformed(file: file, field: "\(field).campaign_key") }
        return CouponRequest(campaignKey: key, source: json["source"]?.stringValue ?? "signal")
    }
}
