import Core
import Foundation
import Storage
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("The basar process: signals and the CLI")
struct LifecycleTests {
    @Test("SIGTERM and SIGINT stop the server gracefully with exit code 0", arguments: [SIGTERM, SIGINT])
    func gracefulStop(signal: Int32) async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        let server = try await BasarProcess(databasePath: path)
        #expect(try await server.client.send("GET", "/healthz").status == 200)
        server.kill(signal)
        let status = await server.waitForExit()
        if status == nil { server.kill(SIGKILL) }
        #expect(status == 0)
    }

    @Test("accounts grant: exit 0 on success, 65 for an unknown email, 64 for bad usage")
    func grant() async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        let server = try await BasarProcess(databasePath: path)
        let signUp = try await server.client.send(
            "POST", "/v1/accounts", json: ["email": "grant@example.com", "password": "correct horse battery", "display_name": "G"]
        )
        #expect(signUp.status == 201)
        let token = try #require(signUp.json["token"]?.stringValue)
        // The CLI writes to the database the running server uses; the server sees it at once.
        let granted = try await BasarBinary.execute(["accounts", "grant", "GRANT@example.com", "merchant", "--db", path, "--json"])
        #expect(granted.code == 0)
        #expect(try JSONParser.parse(Array(granted.stdout.utf8))["roles"] == ["customer", "merchant"])
        #expect(try await server.client.send("GET", "/v1/me", token: token).json["roles"] == ["customer", "merchant"])
        #expect(try await BasarBinary.execute(["accounts", "grant", "nobody@example.com", "host", "--db", path]).code == 65)
        #expect(try await BasarBinary.execute(["--db", path, "accounts", "grant", "grant@example.com", "emperor"]).code == 64)
        #expect(try await BasarBinary.execute(["accounts", "grant", "grant@example.com"]).code == 64)
        #expect(try await BasarBinary.execute(["accounts", "--help"]).code == 0)
        #expect(try await BasarBinary.execute(["serve", "--port", "99999"]).code == 64)
        server.kill(SIGTERM)
        #expect(await server.waitForExit() == 0)
    }

    @Test(
        "--wal-checkpoint-pages: 100 keeps the WAL near 100 pages under 400 commits; below 100 is a usage error",
        .enabled(if: !Database.testsUsePostgres, "SQLite's write-ahead log; PostgreSQL checkpoints itself")
    )
    func walCheckpointPages() async throws {
        #expect(try await BasarBinary.execute(["serve", "--wal-checkpoint-pages", "99"]).code == 64)
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        let server = try await BasarProcess(databasePath: path, extraArguments: ["--wal-checkpoint-pages", "100"])
        let (token, _) = try await server.client.signUp()
        for index in 0..<400 {
            let renamed = try await server.client.send("PATCH", "/v1/me", json: ["display_name": .string("Name \(index)")], token: token)
            #expect(renamed.status == 200)
        }
        // The WAL file keeps the largest size it reached: the same 400 commits reached 3.5 MB (870 pages) under the
        // default of 8,192 pages.
        let size = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue ?? 0
        #expect(size > 0 && size < 1 << 20, "WAL is \(size) bytes")
        server.kill(SIGTERM)
        #expect(await server.waitForExit() == 0)
    }

    @Test(
        "backup copies a serving database; check verifies it and exits 0",
        .enabled(if: !Database.testsUsePostgres, "SQLite's online backup; PostgreSQL's copy is pg_dump's")
    )
    func backupAndCheck() async throws {
        let path = TestServer.temporaryDatabasePath()
        let copy = TestServer.temporaryDatabasePath()
        defer {
            TestServer.removeDatabase(at: path)
            TestServer.removeDatabase(at: copy)
        }
        let server = try await BasarProcess(databasePath: path)
        let signUp = try await server.client.send(
            "POST", "/v1/accounts", json: ["email": "backup@example.com", "password": "correct horse battery", "display_name": "B"]
        )
        #expect(signUp.status == 201)
        let backup = try await BasarBinary.execute(["backup", "--to", copy, "--db", path])
        #expect(backup.code == 0)
        #expect(try await BasarBinary.execute(["backup", "--to", copy, "--db", path]).code == 64)
        let check = try await BasarBinary.execute(["check", "--db", copy, "--json"])
        #expect(check.code == 0)
        #expect(try JSONParser.parse(Array(check.stdout.utf8))["ok"] == true)
        // The copy holds the account created before the backup.
        let copied = try await BasarBinary.execute(["accounts", "grant", "backup@example.com", "host", "--db", copy])
        #expect(copied.code == 0)
        server.kill(SIGTERM)
        #expect(await server.waitForExit() == 0)
    }
}
