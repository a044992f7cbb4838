import Core
import Foundation
import Storage
import App
import Testing
import TestSupport

/// `basar campaign …` run as a subprocess, the way an operator runs it.
@Suite("basar campaign")
struct CampaignCLITests {
    static func withDatabase(_ body: (String) async throws -> Void) async throws {
        let path = TestServer.temporaryDatabasePath()
        do {
            // Only `serve` creates a database (API.md §14); the CLI works on one that exists.
            let database = try Database(path: path)
            try await database.migrate(BasarApp.migrations)
            database.close()
            try await body(path)
        } catch {
            TestServer.removeDatabase(at: path)
            throw error
        }
        TestServer.removeDatabase(at: path)
    }

    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("basar-\(UUID().uuidString)-\(name)").path
    }

    static let create = [
        "campaign", "create", "--name", "Autumn", "--percent", "10", "--max-discount", "500", "--max-coupons", "100",
        "--from", "2026-01-01", "--until", "2027-07-01",
    ]

    @Test("create with codes writes the CSV and prints the API's Campaign JSON; dates are midnight in Berlin, --until the day's end")
    func createWithCodes() async throws {
        try await Self.withDatabase { db in
            let csv = Self.temporaryFile("codes.csv")
            defer { try? FileManager.default.removeItem(atPath: csv) }
            let run = try await basar(
                Self.create + ["--key", "autumn", "--codes", "25", "--pattern", "au-####-???", "--out", csv, "--json", "--db", db]
            )
            #expect(run.code == 0, "\(run.stderr)")
            let campaign = try JSONParser.parse(Array(run.stdout.utf8))
            #expect(campaign.id.hasPrefix("cmp_"))
            #expect(campaign["name"] == "Autumn")
            #expect(campaign["discount"] == ["type": "percent", "value": 10])
            #expect(campaign["max_discount_cents"] == 500)
            #expect(campaign["key"] == "autumn")
            #expect(campaign["status"] == "active")
            #expect(campaign["currency"] == "EUR")
            // Midnight in Europe/Berlin: UTC+1 in winter, UTC+2 in summer.
            #expect(campaign["valid_from"] == "2025-12-31T23:00:00Z")
            // A date as --until means the whole day: valid until the next midnight (API.md §14).
            #expect(campaign["valid_until"] == "2027-07-01T22:00:00Z")
            #expect(campaign["stats"] == ["issued": 0, "redeemed": 0, "discount_granted_cents": 0])
            let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "code")
            #expect(lines.last == "")
            let codes = lines.dropFirst().dropLast().map(String.init)
            #expect(codes.count == 25)
            #expect(Set(codes).count == 25)
            #expect(codes.allSatisfy { matches($0, pattern: "AU-####-???") })

            let human = try await basar(Self.create + ["--db", db])
            #expect(human.code == 0, "\(human.stderr)")
            #expect(human.stdout.contains("Autumn"))
            #expect(human.stdout.contains("10% off, at most 5.00 EUR"))
        }
    }

    @Test("list, show, pause and resume with --json print the same Campaign JSON; --db may stand first")
    func lifecycle() async throws {
        try await Self.withDatabase { db in
            let created = try await basar(["--db", db] + Self.create + ["--json"])
            #expect(created.code == 0, "\(created.stderr)")
            let id = try JSONParser.parse(Array(created.stdout.utf8)).id
            let list = try await basar(["campaign", "list", "--json", "--db", db])
            #expect(list.code == 0)
            let listed = try JSONParser.parse(Array(list.stdout.utf8))
            #expect(listed["data"]?.arrayValue?.map(\.id) == [id])
            #expect(listed["next_cursor"] == .null)
            let show = try await basar(["campaign", "show", id, "--json", "--db", db])
            #expect(show.code == 0)
            #expect(try JSONParser.parse(Array(show.stdout.utf8)) == listed["data"]?[0])
            let pause = try await basar(["campaign", "pause", id, "--db", db, "--json"])
            #expect(pause.code == 0)
            #expect(try JSONParser.parse(Array(pause.stdout.utf8))["status"] == "paused")
            let resume = try await basar(["campaign", "--db", db, "resume", id, "--json"])
            #expect(resume.code == 0)
            #expect(try JSONParser.parse(Array(resume.stdout.utf8))["status"] == "active")
            let human = try await basar(["campaign", "show", id, "--db", db])
            #expect(human.stdout.contains(id))
            #expect(human.stdout.contains("status:        active"))
            let humanList = try await basar(["campaign", "list", "--db", db])
            #expect(humanList.stdout.contains(id))

            let csv = Self.temporaryFile("more.csv")
            defer { try? FileManager.default.removeItem(atPath: csv) }
            let codes = try await basar(["campaign", "codes", id, "--count", "40", "--out", csv, "--db", db, "--json"])
            #expect(codes.code == 0, "\(codes.stderr)")
            #expect(try JSONParser.parse(Array(codes.stdout.utf8))["generated"] == 40)
            let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 41)
            #expect(lines.dropFirst().allSatisfy { matches(String($0), pattern: "????-####-????") })
        }
    }

    @Test("bad usage and bad values exit 64 with a message; nothing is created")
    func badUsage() async throws {
        try await Self.withDatabase { db in
            let csv = Self.temporaryFile("bad.csv")
            defer { try? FileManager.default.removeItem(atPath: csv) }
            let cases: [([String], String)] = [
                (Self.create + ["--fixed", "500"], "--percent or --fixed"),
                (Self.create.filter { $0 != "--max-coupons" && $0 != "100" }, "--max-coupons"),
                (Array(Self.create.dropFirst(4)) + ["campaign", "create"], "--name"),
                (Self.create + ["--from", "x"], "twice"),
                (["campaign", "create", "--name", "A", "--percent", "10", "--max-coupons", "5", "--from", "2026-13-01", "--until", "2027-01-01"], "--from"),
                (["campaign", "create", "--name", "A", "--percent", "10", "--max-coupons", "5", "--from", "2026-02-30", "--until", "2027-01-01"], "--from"),
                (["campaign", "create", "--name", "A", "--percent", "10", "--max-coupons", "5", "--from", "2027-01-01", "--until", "2026-01-01"], "--until"),
                (["campaign", "create", "--name", "A", "--fixed", "abc", "--max-coupons", "5", "--from", "2026-01-01", "--until", "2027-01-01"], "--fixed"),
                (["campaign", "create", "--name", "A", "--percent", "101", "--max-coupons", "5", "--from", "2026-01-01", "--until", "2027-01-01"], "--percent"),
                (["campaign", "create", "--name", "A", "--fixed", "100", "--max-discount", "50", "--max-coupons", "5", "--from", "2026-01-01", "--until", "2027-01-01"], "--max-discount"),
                (Self.create + ["--codes", "10", "--pattern", "##", "--out", csv], "--pattern"),
                (Self.create + ["--codes", "10", "--pattern", "A B#", "--out", csv], "--pattern"),
                (Self.create + ["--codes", "10"], "--out"),
                (Self.create + ["--pattern", "####-????"], "--codes"),
                (Self.create + ["--key", "Not A Slug"], "--key"),
                (Self.create + ["--colour", "red"], "--colour"),
                (["campaign", "explode"], "unknown"),
                (["campaign", "show"], "usage"),
                (["campaign", "codes", "cmp_x", "--out", csv], "--count"),
            ]
            for (arguments, hint) in cases {
                let run = try await basar(arguments + ["--db", db])
                #expect(run.code == 64, "\(arguments): \(run.stdout) \(run.stderr)")
                #expect(run.stderr.contains(hint), "\(arguments): \(run.stderr)")
            }
            let list = try await basar(["campaign", "list", "--json", "--db", db])
            #expect(try JSONParser.parse(Array(list.stdout.utf8))["data"] == [])
        }
    }

    @Test("an unknown campaign exits 65; resuming an ended one exits 1; --help works on every command")
    func unknownAndHelp() async throws {
        try await Self.withDatabase { db in
            let csv = Self.temporaryFile("x.csv")
            defer { try? FileManager.default.removeItem(atPath: csv) }
            for arguments in [
                ["campaign", "show", "cmp_nope"], ["campaign", "pause", "cmp_nope"], ["campaign", "resume", "cmp_nope"],
                ["campaign", "codes", "cmp_nope", "--count", "5", "--out", csv],
            ] {
                let run = try await basar(arguments + ["--db", db])
                #expect(run.code == 65, "\(arguments): \(run.stderr)")
                #expect(run.stderr.contains("cmp_nope"))
            }
            for command in ["create", "list", "show", "pause", "resume", "codes"] {
                let run = try await basar(["campaign", command, "--help"])
                #expect(run.code == 0)
                #expect(run.stdout.contains("basar campaign \(command)"))
            }
            #expect(try await basar(["campaign", "--help"]).code == 0)
        }
    }

    @Test("the CLI works on the database of a running server, which sees its campaign and codes at once")
    func liveServer() async throws {
        try await CouponShop.withServer { shop in
            let csv = Self.temporaryFile("live.csv")
            defer { try? FileManager.default.removeItem(atPath: csv) }
            let run = try await basar([
                "campaign", "create", "--name", "Live", "--fixed", "300", "--max-coupons", "10", "--from", "2020-01-01",
                "--until", "2099-01-01T00:00:00Z", "--codes", "5", "--out", csv, "--db", shop.server.databasePath, "--json",
            ])
            #expect(run.code == 0, "\(run.stderr)")
            let id = try JSONParser.parse(Array(run.stdout.utf8)).id
            let code = try #require(try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst().first)
            let (customer, _) = try await shop.server.signUp()
            let claim = try await shop.claim(String(code), token: customer)
            #expect(claim.status == 201, "\(claim.text)")
            #expect(claim.json["campaign_id"]?.stringValue == id)
            #expect(claim.json["discount"] == ["type": "fixed", "value": 300])
            #expect(try await shop.campaign(id: id).stats["issued"] == 1)

            let pause = try await basar(["campaign", "pause", id, "--db", shop.server.databasePath])
            #expect(pause.code == 0, "\(pause.stderr)")
            #expect(try await shop.campaign(id: id)["status"] == "paused")
            let shown = try await basar(["campaign", "show", id, "--json", "--db", shop.server.databasePath])
            #expect(try JSONParser.parse(Array(shown.stdout.utf8))["stats"]?["issued"] == 1)
            #expect(try await shop.setStatus("ended", of: id).status == 200)
            let resume = try await basar(["campaign", "resume", id, "--db", shop.server.databasePath])
            #expect(resume.code == 1)
            #expect(resume.stderr.contains("ended"))
        }
    }
}
