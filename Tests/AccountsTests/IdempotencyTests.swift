import Core
import Foundation
import Testing
import TestSupport

@Suite("Idempotency-Key (API.md §1, §12)")
struct IdempotencyTests {
    static let topUp: JSON = ["amount_cents": 2500, "method": "sandbox"]

    func balance(_ server: some TestApp, _ token: String) async throws -> Int64? {
        try await server.send("GET", "/v1/wallet", token: token).json["balance_cents"]?.intValue
    }

    @Test("the same key and body replays the first answer byte for byte and does nothing again")
    func replay() async throws {
        let server = try await TestServer()
        do {
            let (token, _) = try await server.signUp()
            let key = [("Idempotency-Key", "topup-1")]
            let first = try await server.send("POST", "/v1/wallet/top-ups", json: Self.topUp, token: token, headers: key)
            #expect(first.status == 201)
            #expect(first.header("Idempotent-Replayed") == nil)
            // Same body with other key order and white space.
            let raw = "{ \"method\" : \"sandbox\",\n \"amount_cents\": 2500 }"
            let request = "POST /v1/wallet/top-ups HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer \(token)\r\n"
                + "Idempotency-Key: topup-1\r\nContent-Type: application/json\r\nContent-Length: \(raw.utf8.count)\r\n\r\n\(raw)"
            let second = try await server.client.raw(Array(request.utf8))
            #expect(second.status == 201)
            #expect(second.header("Idempotent-Replayed") == "true")
            #expect(second.body == first.body)
            #expect(try await balance(server, token) == 2500)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("the same key with another body or path is 422 idempotency_key_reused; keys are per account")
    func reuse() async throws {
        let server = try await InProcessApp()
        do {
            let (token, _) = try await server.signUp()
            let key = [("Idempotency-Key", "k-reuse")]
            #expect(try await server.send("POST", "/v1/wallet/top-ups", json: Self.topUp, token: token, headers: key).status == 201)
            let other = try await server.send(
                "POST", "/v1/wallet/top-ups", json: ["amount_cents": 999, "method": "sandbox"], token: token, headers: key
            )
            #expect(other.status == 422)
            #expect(other.code == "idempotency_key_reused")
            #expect(try await balance(server, token) == 2500)
            let (stranger, _) = try await server.signUp()
            let theirs = try await server.send("POST", "/v1/wallet/top-ups", json: Self.topUp, token: stranger, headers: key)
            #expect(theirs.status == 201)
            #expect(theirs.header("Idempotent-Replayed") == nil)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("a body error is not stored, so a corrected retry may reuse the key")
    func correctedRetry() async throws {
        let server = try await InProcessApp()
        do {
            let (token, _) = try await server.signUp()
            let key = [("Idempotency-Key", "k-fix")]
            let bad = try await server.send(
                "POST", "/v1/wallet/top-ups", json: ["amount_cents": 5, "method": "sandbox"], token: token, headers: key
            )
            #expect(bad.status == 400)
            let fixed = try await server.send("POST", "/v1/wallet/top-ups", json: Self.topUp, token: token, headers: key)
            #expect(fixed.status == 201)
            let badKey = try await server.send(
                "POST", "/v1/wallet/top-ups", json: Self.topUp, token: token,
                headers: [("Idempotency-Key", String(repeating: "k", count: 256))]
            )
            #expect(badKey.status == 400)
            #expect(badKey.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "Idempotency-Key")
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("a second request while the first with the same key still runs is 409 idempotency_in_progress")
    func inProgress() async throws {
        let server = try await TestServer()
        do {
            let (token, accountID) = try await server.signUp()
            // Hold the first request inside its write so it is provably still running: SQLite's single writer, held
            // here; PostgreSQL's writes run side by side, so there the holder takes the key's lock, which a keyed
            // write takes first (Database+Idempotency).
            let gate = DispatchSemaphore(value: 0)
            let held = DispatchSemaphore(value: 0)
            let holder = Task {
                try await server.database.write { db in
                    if db.dialect == .postgres {
                        _ = try db.query(
                            "SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext(?)) AS locked", accountID + " k-busy"
                        )
                    }
                    held.signal()
                    gate.wait()
                }
            }
            await Task.detached { held.wait() }.value
            let first = Task {
                try await server.send(
                    "POST", "/v1/wallet/top-ups", json: Self.topUp, token: token, headers: [("Idempotency-Key", "k-busy")]
                )
            }
            var polls = 0
            while server.services.database.keyedWritesRunning == 0, polls < 2000 {
                polls += 1
                await Task.yield()
                try await Task.sleep(for: .milliseconds(1))
            }
            #expect(server.services.database.keyedWritesRunning == 1)
            let second = try await server.send(
                "POST", "/v1/wallet/top-ups", json: Self.topUp, token: token, headers: [("Idempotency-Key", "k-busy")]
            )
            #expect(second.status == 409)
            #expect(second.code == "idempotency_in_progress")
            gate.signal()
            try await holder.value
            #expect(try await first.value.status == 201)
            #expect(try await balance(server, token) == 2500)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("a stored answer replays after a server restart")
    func replayAfterRestart() async throws {
        let first = try await TestServer()
        let (token, _) = try await first.signUp()
        let original = try await first.send(
            "POST", "/v1/wallet/top-ups", json: Self.topUp, token: token, headers: [("Idempotency-Key", "k-restart")]
        )
        let path = first.databasePath
        await first.stop(removeDatabase: false)
        let second = try await TestServer(databasePath: path)
        do {
            let replayed = try await second.send(
                "POST", "/v1/wallet/top-ups", json: Self.topUp, token: token, headers: [("Idempotency-Key", "k-restart")]
            )
            #expect(replayed.status == 201)
            #expect(replayed.header("Idempotent-Replayed") == "true")
            #expect(replayed.body == original.body)
            #expect(try await balance(second, token) == 2500)
        } catch { Issue.record(error) }
        await second.stop()
    }
}
