import App
import Core
import Coupons
import Foundation
import Storage

/// `basar campaign …` (API.md §11, §12): the same validation and code generation as the API, through
/// `CouponService`, on a database that a running server may be using (WAL and a busy timeout make that safe; the
/// server reads the database on every request, so it sees the changes at once).
enum CampaignCommand {
    static let help = """
        basar campaign — manage coupon campaigns

        Usage:
          basar campaign create --name NAME (--percent N | --fixed CENTS) [--min-spend CENTS] [--max-discount CENTS]
                                --max-coupons N [--per-account N] --from TIME --until TIME [--key KEY]
                                [--codes N [--pattern P] --out FILE.csv]
          basar campaign list
          basar campaign show ID|KEY
          basar campaign pause ID
          basar campaign resume ID
          basar campaign codes ID --count N [--pattern P] --out FILE.csv

        Every command takes --db PATH (default ./basar.sqlite), --json (print only JSON) and --help.
        TIME is RFC 3339 (2026-11-11T09:00:00Z) or a date in BASAR_TIME_ZONE (default Europe/Berlin): as --from
        the day's first midnight, as --until the whole day (valid until the next midnight).
        Exit codes: 0 done, 64 bad usage or value, 65 unknown campaign or database, 1 other.
        """

    static let subcommandHelp: [String: String] = [
        "create": """
            basar campaign create — create an active campaign, optionally with codes

            Usage:
              basar campaign create --name NAME (--percent N | --fixed CENTS) --max-coupons N --from TIME
                                    --until TIME [options]

            Required:
              --name NAME          1–100 characters
              --percent N          a percent discount, 1–100 (or --fixed)
              --fixed CENTS        a fixed discount in cents (or --percent)
              --max-coupons N      budget of coupons, 1–10000000
              --from TIME          start of validity: RFC 3339 or YYYY-MM-DD (midnight in BASAR_TIME_ZONE)
              --until TIME         end of validity, after --from: RFC 3339 or YYYY-MM-DD (the whole day)

            Optional:
              --min-spend CENTS    minimum subtotal, inclusive (default 0)
              --max-discount CENTS cap of a percent discount
              --per-account N      coupons one account may hold, 1–100 (default 1)
              --key KEY            a unique slug that game files and scripts use
              --codes N            also generate N codes (1–100000) into --out
              --pattern P          '#' a digit 2–9, '?' a letter without I, L, O (default ????-####-????)
              --out FILE.csv       where the codes go: a header 'code', then one code a line
              --db PATH, --json
            """,
        "list": "basar campaign list — every campaign, newest first\n\nOptions:\n  --db PATH, --json",
        "show": "basar campaign show ID|KEY — one campaign with its stats, by id or by key\n\nOptions:\n  --db PATH, --json",
        "pause": "basar campaign pause ID — stop claims and redemptions for now\n\nOptions:\n  --db PATH, --json",
        "resume": "basar campaign resume ID — make a paused campaign active again (an ended one stays ended)\n\nOptions:\n  --db PATH, --json",
        "codes": """
            basar campaign codes ID — generate unique random codes into a CSV file

            Options:
              --count N        1–100000
              --pattern P      '#' a digit 2–9, '?' a letter without I, L, O (default ????-####-????)
              --out FILE.csv   a header 'code', then one code a line
              --db PATH, --json
            """,
    ]

    static func run(_ args: inout Arguments) async throws {
        let words = Array(args.positional.dropFirst())
        guard let command = words.first else {
            if args.flag("help") { print(help); return }
            throw UsageError("missing command\n\n\(help)")
        }
        guard let commandHelp = subcommandHelp[command] else { throw UsageError("unknown campaign command '\(command)'\n\n\(help)") }
        if args.flag("help") { print(commandHelp); return }
        let operands = Array(words.dropFirst())
        do {
            switch command {
            case "create":
                try noOperands(operands, command)
                try await create(&args)
            case "list":
                try noOperands(operands, command)
                try await list(&args)
            case "show": try await show(&args, id: try oneID(operands, command))
            case "pause": try await setStatus(.paused, &args, id: try oneID(operands, command))
            case "resume": try await setStatus(.active, &args, id: try oneID(operands, command))
            default: try await codes(&args, id: try oneID(operands, command))
            }
        } catch let failure as Failure where failure.kind == .invalid {
            throw UsageError(optionMessage(failure))
        } catch let error as CouponError {
            if case .campaignNotFound = error { throw MissingError(error.detail) }
            throw CommandFailure(error.detail)
        } catch let error as any DomainError {
            throw CommandFailure(error.detail)
        }
    }

    // MARK: - Commands

    static func create(_ args: inout Arguments) async throws {
        let draft = try CampaignOptions.draft(&args)
        let codeCount = try args.integer("codes", CouponRules.codeCountRange)
        let pattern = args.option("pattern")
        let out = args.option("out")
        if codeCount == nil {
            if pattern != nil { throw UsageError("--pattern needs --codes") }
            if out != nil { throw UsageError("--out needs --codes") }
        } else if out == nil {
            throw UsageError("--codes needs --out FILE.csv")
        }
        if let pattern { _ = try CodePattern(pattern) }
        try args.rejectUnknown(allowing: ["db", "database"])
        if let out { try CSVFile.prepare(out) }
        let service = try await openService(&args)
        let (campaign, codes) = try await service.createCampaign(draft, codeCount: codeCount, pattern: pattern)
        if let out { try CSVFile.write(codes, to: out) }
        if args.flag("json") {
            print(CampaignRendering.json(campaign).serializedString())
        } else {
            print(CampaignText.describe(campaign))
            if let out { print("\(codes.count) codes written to \(out)") }
        }
    }

    static func list(_ args: inout Arguments) async throws {
        try args.rejectUnknown(allowing: ["db", "database"])
        let service = try await openService(&args)
        var campaigns: [Campaign] = []
        var page = PageRequest(limit: 100)
        repeat {
            let result = try await service.campaigns(page: page)
            campaigns += result.items
            page.cursor = result.nextCursor
        } while page.cursor != nil
        if args.flag("json") {
            let list: JSON = ["data": .array(campaigns.map(CampaignRendering.json)), "next_cursor": nil]
            print(list.serializedString())
        } else if campaigns.isEmpty {
            print("No campaigns yet.")
        } else {
            print(campaigns.map(CampaignText.line).joined(separator: "\n"))
        }
    }

    static func show(_ args: inout Arguments, id: String) async throws {
        try args.rejectUnknown(allowing: ["db", "database"])
        let campaign = try await openService(&args).campaign(idOrKey: id)
        print(args.flag("json") ? CampaignRendering.json(campaign).serializedString() : CampaignText.describe(campaign))
    }

    static func setStatus(_ status: CampaignStatus, _ args: inout Arguments, id: String) async throws {
        try args.rejectUnknown(allowing: ["db", "database"])
        let campaign = try await openService(&args).setStatus(status, of: id)
        print(args.flag("json") ? CampaignRendering.json(campaign).serializedString() : CampaignText.describe(campaign))
    }

    static func codes(_ args: inout Arguments, id: String) async throws {
        guard let count = try args.integer("count", CouponRules.codeCountRange) else { throw UsageError("--count is required") }
        let pattern = args.option("pattern")
        let out = try args.required("out")
        if let pattern { _ = try CodePattern(pattern) }
        try args.rejectUnknown(allowing: ["db", "database"])
        try CSVFile.prepare(out)
        let codes = try await openService(&args).generateCodes(campaignID: id, count: count, pattern: pattern)
        try CSVFile.write(codes, to: out)
        if args.flag("json") {
            let result: JSON = ["campaign_id": .string(id), "generated": .int(Int64(codes.count)), "out": .string(out)]
            print(result.serializedString())
        } else {
            print("\(codes.count) codes for \(id) written to \(out)")
        }
    }

    // MARK: - Helpers

    static func openService(_ args: inout Arguments) async throws -> CouponService {
        let database = try await CLI.openDatabase(&args)
        return CouponService(database: database, clock: SystemClock(), ids: .random)
    }

    static func noOperands(_ operands: [String], _ command: String) throws(UsageError) {
        guard operands.isEmpty else { throw UsageError("basar campaign \(command) takes no operand '\(operands[0])'") }
    }

    static func oneID(_ operands: [String], _ command: String) throws(UsageError) -> String {
        guard operands.count == 1 else { throw UsageError("usage: basar campaign \(command) ID") }
        return operands[0]
    }

    /// A validation error of `CouponService` in the words of the command line (`discount.value` → `--percent`).
    static func optionMessage(_ failure: Failure) -> String {
        let options = [
            "name": "--name", "discount.value": "--percent/--fixed", "min_spend_cents": "--min-spend",
            "max_discount_cents": "--max-discount", "valid_from": "--from", "valid_until": "--until",
            "max_coupons": "--max-coupons", "per_account_limit": "--per-account", "key": "--key",
            "pattern": "--pattern", "count": "--count",
        ]
        guard let field = failure.fieldErrors.first else { return failure.detail }
        let message = field.message.replacingOccurrences(of: "valid_from", with: "--from")
        return "\(options[field.field] ?? field.field) \(message)"
    }
}

/// A failure that is neither bad usage nor a missing object: exit 1 with its message.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
