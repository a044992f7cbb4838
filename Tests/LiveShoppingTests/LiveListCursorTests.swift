import Core
import Testing
import TestSupport

@Suite("Live session list cursor")
struct LiveListCursorTests {
    @Test("a cursor of another list is a 400 naming cursor, as in every other list (it used to be ignored)")
    func foreignCursor() async throws {
        try await withApp { server in
            let foreign = Cursor.encode([.int(1)])
            let answer = try await server.send("GET", "/v1/live-sessions?cursor=\(foreign)")
            #expect(answer.status == 400)
            #expect(answer.json["errors"]?.arrayValue?.first?["field"] == "cursor")
            #expect(try await server.send("GET", "/v1/live-sessions").status == 200)
        }
    }
}
