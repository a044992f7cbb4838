import Core
import Foundation
import Testing
import TestSupport

/// `basar serve --test-clock` (API.md §13, §24): 404 without the flag, admins only with it, time only moves
/// forward, and the offset survives a restart.
@Suite("Test clock")
struct TestClockTests {
    @Test("without --test-clock both routes are 404, even for an admin")
    func absentWithoutFlag() async throws {
        let server = try await InProcessApp()
        do {
            let (admin, _) = try await server.signUp(roles: [.admin])
            #expect(try await server.send("GET", "/v1/admin/test-clock", token: admin).status == 404)
            let post = try await server.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": 60], token: admin)
            #expect(post.status == 404)
            #expect(try await server.send("GET", "/v1/admin/test-clock").status == 404)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("admins advance it; others get 401 or 403; bad amounts 400; the offset survives a restart")
    func advanceAndRestart() async throws {
        let path = TestServer.temporaryDatabasePath()
        defer { TestServer.removeDatabase(at: path) }
        var server = try await TestServer(databasePath: path, testClock: true)
        let (admin, _) = try await server.signUp(roles: [.admin])
        let (customer, _) = try await server.signUp()
        #expect(try await server.send("GET", "/v1/admin/test-clock").status == 401)
        #expect(try await server.send("GET", "/v1/admin/test-clock").header("WWW-Authenticate") == "Bearer")
        #expect(try await server.send("GET", "/v1/admin/test-clock", token: customer).status == 403)
        for bad: JSON in [["advance_seconds": 0], ["advance_seconds": 31_536_001], ["advance_seconds": "1"], [:]] {
            let answer = try await server.send("POST", "/v1/admin/test-clock", json: bad, token: admin)
            #expect(answer.status == 400, "\(bad.serializedString())")
        }
        let before = try #require(Timestamp.parse(try await server.send("GET", "/v1/admin/test-clock", token: admin).json["now"]?.stringValue ?? ""))
        let moved = try await server.send("POST", "/v1/admin/test-clock", json: ["advance_seconds": 86_400], token: admin)
        #expect(moved.status == 200)
        let after = try #require(Timestamp.parse(moved.json["now"]?.stringValue ?? ""))
        #expect(after.timeIntervalSince(before) >= 86_400)
        #expect(after.timeIntervalSince(before) < 86_400 + 60)
        await server.stop(removeDatabase: false)

        server = try await TestServer(databasePath: path, testClock: true)
        do {
            let again = try await server.send("GET", "/v1/admin/test-clock", token: admin)
            let restarted = try #require(Timestamp.parse(again.json["now"]?.stringValue ?? ""))
            #expect(restarted >= after, "a restart never moves the clock back")
            let (_, fresh) = try await server.signUp()
            let account = try await server.services.accounts.account(id: fresh)
            #expect(account.createdAt >= after.epochSeconds, "timestamps Basar writes come from the test clock")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
