import Core
import Foundation
import Testing
import TestSupport

/// The web client's files (`Content/web/`): served from memory with their content type, caching and security
/// headers, and nothing outside that one folder.
@Suite("Serving the web page")
struct WebRoutesTests {
    static let webFolder = TestServer.repositoryRoot.appendingPathComponent("Content/web")
    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    static func expectSecurityHeaders(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.header("Content-Security-Policy") == policy, sourceLocation: sourceLocation)
        #expect(response.header("X-Frame-Options") == "DENY", sourceLocation: sourceLocation)
        #expect(response.header("Referrer-Policy") == "no-referrer", sourceLocation: sourceLocation)
        #expect(response.header("X-Content-Type-Options") == "nosniff", sourceLocation: sourceLocation)
    }

    @Test("GET / is the page: HTML, revalidated on every load, strict CSP, no framing, no referrer")
    func page() async throws {
        let server = try await TestServer()
        do {
            let response = try await server.send("GET", "/")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.header("Cache-Control") == "no-cache")
            Self.expectSecurityHeaders(response)
            let onDisk = try Data(contentsOf: Self.webFolder.appendingPathComponent("index.html"))
            #expect(response.body == [UInt8](onDisk))
            #expect(response.text.contains("<script type=\"module\" src=\"/web/app.js\"></script>"))
            let head = try await server.send("HEAD", "/")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("Content-Type") == "text/html; charset=utf-8")
            let post = try await server.send("POST", "/", json: [:])
            #expect(post.status == 405)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("assets carry their content type and a short cache lifetime", arguments: [
        ("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"), ("manifest.webmanifest", "application/manifest+json; charset=utf-8"),
        ("fairness.js", "text/javascript; charset=utf-8"), ("index.html", "text/html; charset=utf-8"),
    ])
    func asset(name: String, type: String) async throws {
        let server = try await TestServer()
        do {
            let response = try await server.send("GET", "/web/\(name)")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == type)
            #expect(response.header("Cache-Control") == "public, max-age=300")
            Self.expectSecurityHeaders(response)
            let onDisk = try Data(contentsOf: Self.webFolder.appendingPathComponent(name))
            #expect(response.body == [UInt8](onDisk))
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("every file of Content/web is served, and every module the page imports exists")
    func everyFile() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.webFolder.path).filter { !$0.hasPrefix(".") }
        #expect(names.contains("index.html"))
        let server = try await InProcessApp()
        do {
            for name in names {
                let response = try await server.send("GET", "/web/\(name)")
                #expect(response.status == 200, "\(name)")
                guard name.hasSuffix(".js") else { continue }
                // `import … from './x.js'` must name a file that is served from the same flat folder.
                for line in response.text.split(separator: "\n") where line.hasPrefix("import ") {
                    guard let start = line.range(of: "'./"), let end = line.range(of: "'", range: start.upperBound..<line.endIndex)
                    else { continue }
                    let imported = String(line[start.upperBound..<end.lowerBound])
                    #expect(names.contains(imported), "\(name) imports \(imported)")
                }
            }
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("path traversal and unknown names are 404 problems, never a file", arguments: [
        "/web/..%2Fopenapi.json", "/web/%2e%2e", "/web/..", "/web/../openapi.json", "/web/..%2F..%2FPackage.swift",
        "/web/.hidden", "/web/%2Fetc%2Fpasswd", "/web/..%5Copenapi.json", "/web/app.js%00.png", "/web/nope.js",
        "/web/index.html/", "/web/", "/web", "/web/games%2Fwheel.json", "/web/app.js.map", "/web/%252e%252e",
    ])
    func traversal(path: String) async throws {
        let server = try await TestServer()
        do {
            let response = try await server.send("GET", path)
            #expect(response.status == 404, "\(path) → \(response.status)")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(!response.text.contains("\"openapi\""))
            #expect(!response.text.contains("root:"))
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("the page has no inline script or style, which the CSP would block")
    func noInlineCode() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.webFolder.path)
        for name in names where name.hasSuffix(".html") || name.hasSuffix(".js") {
            let text = try String(contentsOf: Self.webFolder.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("style=\""), "\(name) has an inline style attribute")
            #expect(!text.contains("innerHTML"), "\(name) writes HTML from strings")
            #expect(!text.contains("localStorage.setItem('basar.token"), "\(name) keeps the token beyond the tab")
            if name.hasSuffix(".html") {
                #expect(!text.contains("<script>"), "\(name) has an inline script")
                #expect(!text.contains("<style"), "\(name) has an inline style sheet")
                let handler = try Regex(#"\son[a-z]+\s*="#)
                #expect(text.firstMatch(of: handler) == nil, "\(name) has an inline event handler")
            }
        }
    }
}
