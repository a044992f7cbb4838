import Core
import Foundation
import Testing
import TestSupport

/// `GET /docs`: the API reference that Basar's own page renders from `GET /openapi.json`.
@Suite("The API reference page")
struct DocsPageTests {
    static let webFolder = TestServer.repositoryRoot.appendingPathComponent("Content/web")

    @Test("GET /docs is docs.html with the web client's security headers, revalidated on every load")
    func page() async throws {
        let server = try await TestServer()
        do {
            let response = try await server.send("GET", "/docs")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.header("Cache-Control") == "no-cache")
            WebRoutesTests.expectSecurityHeaders(response)
            let onDisk = try Data(contentsOf: Self.webFolder.appendingPathComponent("docs.html"))
            #expect(response.body == [UInt8](onDisk))
            #expect(response.text.contains("<script type=\"module\" src=\"/web/docs.js\"></script>"))
            #expect(response.text.contains("<link rel=\"stylesheet\" href=\"/web/docs.css\">"))
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("the page reads /openapi.json and loads nothing from another origin")
    func sameOrigin() throws {
        for name in ["docs.html", "docs.js", "docs.css"] {
            let text = try String(contentsOf: Self.webFolder.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("http://") && !text.contains("https://"), "\(name) names another origin")
            #expect(!text.contains("@import"), "\(name) imports a style sheet")
        }
        let script = try String(contentsOf: Self.webFolder.appendingPathComponent("docs.js"), encoding: .utf8)
        #expect(script.contains("fetch('/openapi.json'"))
    }
}
