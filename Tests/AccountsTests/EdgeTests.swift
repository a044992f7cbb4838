import Core
import Foundation
import Storage
import Testing
import TestSupport

@Suite("The API edge: problems, methods, media types, headers")
struct EdgeTests {
    @Test("unknown path is a 404 problem with a request id")
    func notFound() async throws {
        let server = try await TestServer()
        do {
            let response = try await server.send("GET", "/v1/nothing-here")
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.json["type"]?.stringValue == "/problems/not_found")
            #expect(response.json["status"]?.intValue == 404)
            #expect(response.header("X-Request-Id")?.isEmpty == false)
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Server") == nil)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("the echo benchmark route returns any object once parsed; malformed JSON, non-objects and other types fail")
    func echo() async throws {
        let server = try await TestServer()
        do {
            let object: JSON = .object([("name", "Käse"), ("tags", ["bio", "alpen"]), ("quantity", 3)])
            let echoed = try await server.send("POST", "/bench/echo", json: object)
            #expect(echoed.status == 200)
            #expect(echoed.json == object)
            func raw(_ body: String, type: String = "application/json") async throws -> TestResponse {
                let head = "POST /bench/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: \(type)\r\n"
                return try await server.client.raw(Array((head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8))
            }
            #expect(try await raw("{\"a\":").code == "invalid_request")
            #expect(try await raw("[1, 2]").code == "invalid_request")
            #expect(try await raw("{}", type: "text/plain").status == 415)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("a wrong method is 405 with Allow; a method the server does not implement is 501")
    func methods() async throws {
        let server = try await TestServer()
        do {
            let wrong = try await server.send("PUT", "/v1/me")
            #expect(wrong.status == 405)
            #expect(wrong.code == "method_not_allowed")
            let allow = try #require(wrong.header("Allow"))
            #expect(allow.contains("GET") && allow.contains("PATCH"))
            let unknown = try await server.send("BREW", "/v1/me")
            #expect(unknown.status == 501)
            #expect(unknown.code == "not_implemented")
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("a non-JSON content type is 415; malformed JSON and non-objects are 400")
    func bodies() async throws {
        let server = try await TestServer()
        do {
            let form = try await server.send(
                "POST", "/v1/sessions", json: ["email": "a@b.de", "password": "x"],
                headers: [("Content-Type", "application/x-www-form-urlencoded")]
            )
            #expect(form.status == 415)
            #expect(form.code == "unsupported_media_type")
            let charset = try await server.send(
                "POST", "/v1/sessions", json: ["email": "a@b.de", "password": "whatever pass"],
                headers: [("Content-Type", "application/json; charset=utf-8")]
            )
            #expect(charset.status == 401)
            let spaced = try await server.send(
                "POST", "/v1/sessions", json: ["email": "a@b.de", "password": "whatever pass"],
                headers: [("Content-Type", "Application/JSON \t ;charset=utf-8")]
            )
            #expect(spaced.status == 401, "a media type with spaces before its parameters is still JSON")
            let raw = "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"email\":"
            let malformed = try await server.client.raw(Array(raw.utf8))
            #expect(malformed.status == 400)
            #expect(malformed.code == "invalid_request")
            let array = try await server.send("POST", "/v1/sessions", json: ["not", "an", "object"])
            #expect(array.status == 400)
            // U+0000 in a string is refused on both engines: PostgreSQL's text cannot hold it.
            let nul = try await server.send(
                "POST", "/v1/accounts", json: ["email": "nul@example.com", "password": "correct horse battery", "display_name": "a\u{0}b"]
            )
            #expect(nul.status == 400)
            #expect(nul.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "display_name", "\(nul.text)")
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("401 without a token, then authenticated answers say Cache-Control: no-store")
    func authentication() async throws {
        let server = try await TestServer()
        do {
            let anonymous = try await server.send("GET", "/v1/me")
            #expect(anonymous.status == 401)
            #expect(anonymous.code == "unauthenticated")
            let bogus = try await server.send("GET", "/v1/me", token: "0123456789abcdef0123456789abcdef")
            #expect(bogus.status == 401)
            let (token, _) = try await server.signUp()
            let me = try await server.send("GET", "/v1/me", token: token)
            #expect(me.header("Cache-Control") == "no-store")
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("health is public; metrics need an admin and speak Prometheus")
    func operations() async throws {
        let server = try await TestServer()
        do {
            let health = try await server.send("GET", "/healthz")
            #expect(health.status == 200)
            #expect(health.json["status"] == "ok")
            #expect(health.json["database"] == (Database.testsUsePostgres ? "postgresql" : "sqlite"), "API.md §23")
            #expect(health.json["node"]?.stringValue?.isEmpty == false)
            #expect(try await server.send("GET", "/metrics").status == 401)
            let (customer, _) = try await server.signUp()
            #expect(try await server.send("GET", "/metrics", token: customer).status == 403)
            let (admin, _) = try await server.signUp(roles: [.admin])
            let metrics = try await server.send("GET", "/metrics", token: admin)
            #expect(metrics.status == 200)
            #expect(metrics.text.contains("basar_http_requests_total{route=\"/healthz\",status=\"200\"} 1"))
            #expect(metrics.text.contains("basar_http_request_duration_seconds_bucket"))
            #expect(metrics.text.contains("basar_open_connections"))
        } catch { Issue.record(error) }
        await server.stop()
    }
}
