import Core
import Foundation
import Testing
import TestSupport

/// What a new user of the command line hit (API.md §14): no database created by a typo, whole-day `--until`,
/// `--version`, `help`, `serve --demo` outside the project folder, `campaign show KEY`, `accounts revoke`.
@Suite("basar command line: usage a newcomer meets")
struct CLIUsageTests {
    @Test("every command but serve refuses a --db file that does not exist and creates nothing", arguments: [
        ["campaign", "list"], ["check"], ["backup", "--to", "/dev/null/never"], ["accounts", "grant", "a@b.test", "host"],
        ["demo", "codes"],
    ])
    func missingDatabase(command: [String]) async throws {
        let path = TestServer.temporaryDatabasePath()
        let run = try await basar(command + ["--db", path])
        #expect(run.code == 65, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains(path))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("--until YYYY-MM-DD keeps the whole day: valid until the next midnight in Berlin")
    func untilWholeDay() async throws {
        try await CampaignCLITests.withDatabase { db in
            let run = try await basar([
                "campaign", "create", "--name", "Winter", "--fixed", "100", "--max-coupons", "5", "--from", "2027-01-01",
                "--until", "2027-01-31", "--json", "--db", db,
            ])
            #expect(run.code == 0, "\(run.stderr)")
            let campaign = try JSONParser.parse(Array(run.stdout.utf8))
            #expect(campaign["valid_from"] == "2026-12-31T23:00:00Z")
            #expect(campaign["valid_until"] == "2027-01-31T23:00:00Z")
        }
    }

    @Test("--version prints the version, help equals --help")
    func versionAndHelp() async throws {
        let version = try await basar(["--version"])
        #expect(version.code == 0)
        #expect(version.stdout.hasPrefix("basar "))
        let help = try await basar(["help"])
        let dashed = try await basar(["--help"])
        #expect(help.code == 0)
        #expect(help.stdout == dashed.stdout)
        #expect(help.stdout.contains("basar serve"))
    }

    @Test("campaign create --help shows a usage line and which options are required")
    func createHelp() async throws {
        let run = try await basar(["campaign", "create", "--help"])
        #expect(run.code == 0)
        #expect(run.stdout.contains("Usage:"))
        #expect(run.stdout.contains("Required:"))
    }

    @Test("serve --demo outside the project folder names the folder it needs")
    func demoOutsideProject() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("basar-cwd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let err = directory.appendingPathComponent("stderr").path
        let process = try ChildProcess(
            BasarBinary.url.path, ["serve", "--demo", "--port", "0"], directory: directory.path, stderr: err
        )
        let code = await process.waitForExit(timeoutSeconds: 30)
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(code == 65)
        #expect(stderr.contains("--content DIR"))
        #expect(!stderr.contains("NSCocoaErrorDomain"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("basar.sqlite").path))
    }

    @Test("campaign show takes a key as well as an id; accounts revoke takes a role away")
    func showByKeyAndRevoke() async throws {
        let server = try await TestServer()
        let path = server.databasePath
        do {
            let (_, _) = try await server.signUp(email: "rita@example.com", roles: [.host])
            let created = try await basar([
                "campaign", "create", "--name", "Keyed", "--fixed", "100", "--max-coupons", "5", "--from", "2026-01-01",
                "--until", "2030-01-01", "--key", "keyed-one", "--json", "--db", path,
            ])
            #expect(created.code == 0, "\(created.stderr)")
            let shown = try await basar(["campaign", "show", "keyed-one", "--json", "--db", path])
            #expect(shown.code == 0, "\(shown.stderr)")
            #expect(try JSONParser.parse(Array(shown.stdout.utf8))["key"] == "keyed-one")
            #expect(try await basar(["campaign", "show", "no-such-key", "--db", path]).code == 65)

            let revoked = try await basar(["accounts", "revoke", "rita@example.com", "host", "--json", "--db", path])
            #expect(revoked.code == 0, "\(revoked.stderr)")
            #expect(try JSONParser.parse(Array(revoked.stdout.utf8))["roles"] == ["customer"])
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
