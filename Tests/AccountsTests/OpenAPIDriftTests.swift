import Core
import Foundation
import Testing
import TestSupport

@Suite("The OpenAPI document and the router never drift")
struct OpenAPIDriftTests {
    @Test("every route is documented, and every documented operation is routed")
    func sameOperations() async throws {
        let url = TestServer.repositoryRoot.appendingPathComponent("Content/openapi.json")
        let document = try JSONParser.parse(Array(try Data(contentsOf: url)))
        guard case let .object(paths)? = document["paths"] else {
            Issue.record("openapi.json has no paths")
            return
        }
        var documented = Set<String>()
        for (path, item) in paths {
            guard case let .object(operations) = item else { continue }
            for (method, _) in operations { documented.insert("\(method.uppercased()) \(path)") }
        }
        let server = try await InProcessApp()
        let routed = Set(server.app.api.routes.map { "\($0.method.rawValue) \($0.pattern)" })
        await server.stop()
        #expect(routed.subtracting(documented).sorted() == [], "routes missing from Content/openapi.json")
        #expect(documented.subtracting(routed).sorted() == [], "documented operations without a route")
    }

    @Test("the server serves the document it ships")
    func served() async throws {
        let server = try await InProcessApp()
        do {
            let response = try await server.send("GET", "/openapi.json")
            #expect(response.status == 200)
            #expect(response.json["openapi"]?.stringValue == "3.1.0")
        } catch { Issue.record(error) }
        await server.stop()
    }
}
