import Coupons
import Core

/// `basar demo codes`: the demo's claimable coupon codes, again, for anyone who missed the start-up log.
enum DemoCommand {
    static let help = """
        basar demo codes [--db PATH] [--json] — print the coupon codes not yet claimed, by campaign

        Only campaigns with a key are listed (the demo's); at most 50 codes each.
        """

    static let codesPerCampaign = 50

    static func run(_ args: inout Arguments) async throws {
        if args.flag("help") { print(help); return }
        guard Array(args.positional.dropFirst()) == ["codes"] else { throw UsageError("usage: basar demo codes") }
        try args.rejectUnknown(allowing: ["db", "database"])
        let service = try await CampaignCommand.openService(&args)
        var result: [(key: String, codes: [String])] = []
        var page = PageRequest(limit: 100)
        repeat {
            let campaigns = try await service.campaigns(page: page)
            for campaign in campaigns.items {
                guard let key = campaign.key else { continue }
                let codes = try await unclaimedCodes(of: campaign.id, service: service)
                if !codes.isEmpty { result.append((key, codes)) }
            }
            page.cursor = campaigns.nextCursor
        } while page.cursor != nil
        if args.flag("json") {
            let json = JSON.object(result.map { ($0.key, .array($0.codes.map(JSON.string))) })
            print(json.serializedString())
        } else if result.isEmpty {
            print("No unclaimed codes.")
        } else {
            for (key, codes) in result { print("\(key): \(codes.joined(separator: " "))") }
        }
    }

    private static func unclaimedCodes(of campaignID: String, service: CouponService) async throws -> [String] {
        var codes: [String] = []
        var page = PageRequest(limit: 100)
        repeat {
            let result = try await service.codes(campaignID: campaignID, page: page)
            codes += result.items.filter { !$0.isClaimed }.map(\.code)
            page.cursor = result.nextCursor
        } while page.cursor != nil && codes.count < codesPerCampaign
        return Array(codes.prefix(codesPerCampaign).reversed())
    }
}
