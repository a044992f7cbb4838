import API
import Core
import Coupons
import Foundation

extension DemoData {
    /// Loads `Fixtures/demo/campaigns.json`: campaigns in the API's `POST /v1/campaigns` shape, with their `key`s
    /// (which the game files and the live demo use), and optionally hand-picked claimable `codes`, which are logged
    /// at info so a new user can try a claim.
    ///
    /// - Throws: when the file is malformed or a campaign breaks a rule of `CouponRules`.
    static func loadCoupons(from directory: URL, into services: Services, logger: Logger) async throws {
        let file = directory.appendingPathComponent("demo/campaigns.json")
        let json = try JSONParser.parse(Array(try Data(contentsOf: file)))
        var created = 0
        for entry in json["campaigns"]?.arrayValue ?? [] {
            let draft = try campaignDraft(entry)
            let (campaign, _) = try await services.coupons.createCampaign(draft)
            created += 1
            let codes = (entry["codes"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !codes.isEmpty {
                try await services.coupons.addCodes(codes, campaignID: campaign.id)
                logger.info(
                    "demo coupon codes",
                    ["campaign": campaign.key ?? campaign.id, "codes": codes.map(CouponRules.normalizedCode).joined(separator: " ")]
                )
            }
        }
        logger.info("demo campaigns loaded", ["campaigns": String(created)])
    }

    private static func campaignDraft(_ entry: JSON) throws -> CampaignDraft {
        guard let name = entry["name"]?.stringValue, let type = entry["discount"]?["type"]?.stringValue,
              let value = entry["discount"]?["value"]?.intValue,
              let from = entry["valid_from"]?.stringValue.flatMap(Timestamp.parse),
              let until = entry["valid_until"]?.stringValue.flatMap(Timestamp.parse),
              let maxCoupons = entry["max_coupons"]?.intValue
        else { throw Failure.invalidState("demo/campaigns.json has a malformed campaign: \(entry.serializedString())") }
        return CampaignDraft(
            name: name, discount: type == "percent" ? .percent(value) : .fixed(value),
            minSpendCents: entry["min_spend_cents"]?.intValue ?? 0, maxDiscountCents: entry["max_discount_cents"]?.intValue,
            validFrom: from.epochSeconds, validUntil: until.epochSeconds, maxCoupons: maxCoupons,
            perAccountLimit: entry["per_account_limit"]?.intValue ?? 1, key: entry["key"]?.stringValue
        )
    }
}
