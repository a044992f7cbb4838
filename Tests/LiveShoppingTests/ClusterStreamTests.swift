import Core
import Foundation
import Storage
import Testing
import TestSupport

/// Live streams across nodes (issue 25): three servers, each with its own `Database` (pool, notifier, listener), on
/// one PostgreSQL database, as three `basar serve` behind a load balancer.
@Suite("Event streams across three nodes", .enabled(if: Database.testsUsePostgres, "needs PostgreSQL"))
struct ClusterStreamTests {
    /// - Parameter clock: every node's clock (one `ManualClock` moves them all).
    static func withNodes(
        clock: any WallClock = SystemClock(), _ body: ([TestServer]) async throws -> Void
    ) async throws {
        let path = TestServer.temporaryDatabasePath()
        var nodes: [TestServer] = []
        do {
            // One after the other: the first migrates, the others find the schema up to date.
            for _ in 0..<3 { nodes.append(try await TestServer(clock: clock, databasePath: path)) }
            try await body(nodes)
        } catch {
            Issue.record(error)
        }
        for node in nodes { await node.stop(removeDatabase: false) }
        TestServer.removeDatabase(at: path)
    }

    @Test("a pin on node A reaches a stream on node B within 1 s")
    func pinReachesOtherNode() async throws {
        try await Self.withNodes { nodes in
            let a = try await LiveFixture(nodes[0])
            let product = try await a.product(stock: 5)
            let id = try await a.session()
            let b = LiveFixture(server: nodes[1], hostToken: a.hostToken, hostID: a.hostID)
            let stream = try await b.stream(id)
            for _ in 1...3 {
                let pin = try await nodes[0].send(
                    "POST", "/v1/live-sessions/\(id)/pins", json: ["product_id": .string(product)], token: a.hostToken
                )
                #expect(pin.status == 201)
                // From the answer (the commit is before it) to the event on node B's stream.
                let answered = Date()
                let event = try await stream.nextNumbered(timeout: 1)
                #expect(event?.name == "pin.added")
                #expect(Date().timeIntervalSince(answered) < 1)
            }
        }
    }

    @Test("a stream resumed on node C with Last-Event-ID misses nothing of a burst sent through node B")
    func resumeOnThirdNode() async throws {
        try await Self.withNodes { nodes in
            let a = try await LiveFixture(nodes[0])
            let product = try await a.product(stock: 5)
            let id = try await a.session()
            let b = LiveFixture(server: nodes[1], hostToken: a.hostToken, hostID: a.hostID)
            let c = LiveFixture(server: nodes[2], hostToken: a.hostToken, hostID: a.hostID)
            try await EventStreamResumeTests.checkResumeMidBurst(session: id, product: product, total: 40, nodes: (a, b, c))
        }
    }
}
