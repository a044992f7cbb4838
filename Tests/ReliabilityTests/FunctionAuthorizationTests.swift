import Core
import Testing
import TestSupport

/// OWASP API5:2023 (broken function-level authorization) and API8:2023 (security misconfiguration: headers), over
/// every route the router has; `RouteTable` says who may call each.
@Suite("OWASP API5 and API8: every route's role, and security headers on every answer")
struct FunctionAuthorizationTests {
    @Test("the route table knows every route the server has, and no route it lacks")
    func tableIsComplete() async throws {
        let server = try await InProcessApp()
        let entries = RouteTable.entries(server)
        let unknown = entries.filter { $0.need == nil }.map(\.name)
        #expect(unknown.isEmpty, "decide who may call these routes and add them to RouteTable.needs: \(unknown)")
        let stale = Set(RouteTable.needs.keys).subtracting(entries.map(\.name))
        #expect(stale.isEmpty, "RouteTable.needs names routes the server no longer has: \(stale.sorted())")
        await server.stop()
    }

    @Test("every merchant, host and admin route answers 403 to a customer and 401 to nobody; headers hold everywhere")
    func everyRoute() async throws {
        await ServerGate.shared.acquire()
        do {
            let server = try await TestServer()
            do {
                try await checkEveryRoute(server)
            } catch { Issue.record(error) }
            await server.stop()
        } catch { Issue.record(error) }
        await ServerGate.shared.release()
    }

    private func checkEveryRoute(_ server: TestServer) async throws {
        let (customer, _) = try await server.signUp()
        var checked = 0
        for entry in RouteTable.entries(server) where !entry.isStream {
            let need = try #require(entry.need, "\(entry.name) is not in RouteTable.needs")
            let body: JSON? = ["POST", "PUT", "PATCH"].contains(entry.method) ? [:] : nil
            // Logging out would end the customer's token for the rest of the loop: that route gets its own account.
            let token = entry.name == "DELETE /v1/sessions/current" ? try await server.signUp().token : customer
            let anonymous = try await server.send(entry.method, entry.path(), json: body)
            let asCustomer = try await server.send(entry.method, entry.path(), json: body, token: token)
            switch need {
            case .merchant, .host, .merchantOrHost, .agent, .admin:
                #expect(anonymous.status == 401 && anonymous.code == "unauthenticated", "\(entry.name) without a token: \(anonymous.status)")
                #expect(asCustomer.status == 403 && asCustomer.code == "forbidden", "\(entry.name) as a customer: \(asCustomer.status) \(asCustomer.text)")
            case .signedIn:
                #expect(anonymous.status == 401, "\(entry.name) without a token: \(anonymous.status)")
                #expect(![401, 403].contains(asCustomer.status), "\(entry.name) as a customer: \(asCustomer.status)")
            case .everyone:
                #expect(![401, 403].contains(anonymous.status), "\(entry.name) is public: \(anonymous.status)")
            }
            for (answer, authenticated) in [(anonymous, false), (asCustomer, true)] {
                checkHeaders(answer, route: entry.name, authenticated: authenticated && !entry.pattern.hasPrefix("/web")
                    && entry.pattern != "/" && entry.pattern != "/openapi.json" && entry.pattern != "/docs")
                checked += 1
            }
        }
        #expect(checked >= 100, "checked \(checked) answers")
        // The answers of the HTTP layer itself (no route ran) carry the headers too.
        for raw in ["BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET /v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"] {
            let answer = try await server.client.raw(Array(raw.utf8))
            checkHeaders(answer, route: raw.prefix(12).description, authenticated: false)
        }
    }

    private func checkHeaders(_ answer: TestResponse, route: String, authenticated: Bool) {
        #expect(answer.header("X-Content-Type-Options") == "nosniff", "\(route) \(answer.status): nosniff")
        #expect(answer.header("Server") == nil && answer.header("X-Powered-By") == nil, "\(route): no server banner")
        if authenticated {
            #expect(answer.header("Cache-Control") == "no-store", "\(route) \(answer.status) with a token: Cache-Control no-store")
        }
        if answer.status == 401 {
            #expect(answer.header("WWW-Authenticate") == "Bearer", "\(route) 401: WWW-Authenticate names the scheme")
        }
        if answer.status >= 400 {
            #expect(answer.header("Content-Type")?.hasPrefix("application/problem+json") == true, "\(route) \(answer.status): a problem")
            #expect(!answer.text.contains("Swift") && !answer.text.contains("SQLITE") && !answer.text.contains(".swift"), "\(route): no internals in \(answer.text)")
        }
    }
}
