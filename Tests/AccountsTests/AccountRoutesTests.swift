import Accounts
import Core
import Foundation
import Testing
import TestSupport

@Suite("Accounts over HTTP")
struct AccountRoutesTests {
    @Test("sign-up answers 201 with the account and a working token; email is lower-cased")
    func signUp() async throws {
        let server = try await InProcessApp()
        do {
            let response = try await server.send(
                "POST", "/v1/accounts",
                json: ["email": "  Anna.Schmidt@Example.COM ", "password": "correct horse battery", "display_name": " Anna "]
            )
            #expect(response.status == 201)
            let account = response.json["account"]
            #expect(account?["email"]?.stringValue == "anna.schmidt@example.com")
            #expect(account?["display_name"]?.stringValue == "Anna")
            #expect(account?["roles"] == ["customer"])
            #expect(account?["id"]?.stringValue?.hasPrefix("acct_") == true)
            #expect(account?["created_at"]?.stringValue?.hasSuffix("Z") == true)
            let token = try #require(response.json["token"]?.stringValue)
            #expect(token.count >= 32)
            let me = try await server.send("GET", "/v1/me", token: token)
            #expect(me.status == 200)
            #expect(me.json["id"] == account?["id"])
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("a duplicate email, in any letter case, is 409 email_taken")
    func duplicateEmail() async throws {
        let server = try await InProcessApp()
        do {
            _ = try await server.signUp(email: "dup@example.com")
            let again = try await server.send(
                "POST", "/v1/accounts", json: ["email": "DUP@example.com", "password": "another password!", "display_name": "X"]
            )
            #expect(again.status == 409)
            #expect(again.code == "email_taken")
            #expect(again.header("Content-Type") == "application/problem+json")
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test(
        "sign-up validation names the field",
        arguments: [
            (["email": "no-at-sign.example.com", "password": "long enough pw", "display_name": "A"] as JSON, "email"),
            (["email": "a@nodot", "password": "long enough pw", "display_name": "A"] as JSON, "email"),
            (["email": "a@b.de", "password": "short", "display_name": "A"] as JSON, "password"),
            (["email": "a@b.de", "password": "long enough pw", "display_name": "   "] as JSON, "display_name"),
            (["email": "a@b.de", "password": "long enough pw"] as JSON, "display_name"),
            (["email": "a@b.de", "password": "long enough pw", "display_name": "A", "roles": ["admin"]] as JSON, "roles"),
        ]
    )
    func validation(body: JSON, field: String) async throws {
        let server = try await InProcessApp()
        do {
            let response = try await server.send("POST", "/v1/accounts", json: body)
            #expect(response.status == 400)
            #expect(response.code == "invalid_request")
            #expect(response.json["errors"]?.arrayValue?.first?["field"]?.stringValue == field)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("login: right password 201, wrong password and unknown email both 401 invalid_credentials")
    func login() async throws {
        let server = try await InProcessApp()
        do {
            _ = try await server.signUp(email: "login@example.com")
            let ok = try await server.send(
                "POST", "/v1/sessions", json: ["email": "Login@Example.com", "password": "correct horse battery"]
            )
            #expect(ok.status == 201)
            #expect(ok.json["token"]?.stringValue != nil)
            let wrong = try await server.send("POST", "/v1/sessions", json: ["email": "login@example.com", "password": "wrong password!!"])
            let unknown = try await server.send("POST", "/v1/sessions", json: ["email": "nobody@example.com", "password": "whatever pass"])
            for response in [wrong, unknown] {
                #expect(response.status == 401)
                #expect(response.code == "invalid_credentials")
            }
            // Passwords are taken as sent: surrounding spaces make a different password.
            let spaced = try await server.send(
                "POST", "/v1/sessions", json: ["email": "login@example.com", "password": " correct horse battery"]
            )
            #expect(spaced.status == 401)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("after 10 failed logins within 15 minutes every login is 429 with Retry-After, until the window has room")
    func loginRateLimit() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        let server = try await InProcessApp(clock: clock)
        do {
            _ = try await server.signUp(email: "brute@example.com")
            for attempt in 0..<10 {
                let response = try await server.send(
                    "POST", "/v1/sessions", json: ["email": "brute@example.com", "password": "guess number \(attempt)"]
                )
                #expect(response.status == 401)
                clock.advance(by: 10)
            }
            let blocked = try await server.send(
                "POST", "/v1/sessions", json: ["email": "brute@example.com", "password": "correct horse battery"]
            )
            #expect(blocked.status == 429)
            #expect(blocked.code == "rate_limited")
            let retryAfter = try #require(blocked.header("Retry-After").flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 15 * 60)
            // Another email is not affected.
            _ = try await server.signUp(email: "other@example.com")
            let other = try await server.send(
                "POST", "/v1/sessions", json: ["email": "other@example.com", "password": "correct horse battery"]
            )
            #expect(other.status == 201)
            clock.advance(by: TimeInterval(retryAfter))
            let later = try await server.send(
                "POST", "/v1/sessions", json: ["email": "brute@example.com", "password": "correct horse battery"]
            )
            #expect(later.status == 201)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("logout answers 204 and the token stops working at once; other tokens keep working")
    func logout() async throws {
        let server = try await InProcessApp()
        do {
            let (token, _) = try await server.signUp(email: "bye@example.com")
            let second = try await server.send(
                "POST", "/v1/sessions", json: ["email": "bye@example.com", "password": "correct horse battery"]
            ).json["token"]?.stringValue
            let out = try await server.send("DELETE", "/v1/sessions/current", token: token)
            #expect(out.status == 204)
            #expect(out.body.isEmpty)
            let after = try await server.send("GET", "/v1/me", token: token)
            #expect(after.status == 401)
            #expect(after.code == "unauthenticated")
            #expect(try await server.send("GET", "/v1/me", token: second).status == 200)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("PATCH /v1/me changes the display name and rejects read-only fields")
    func patchMe() async throws {
        let server = try await InProcessApp()
        do {
            let (token, _) = try await server.signUp()
            let renamed = try await server.send("PATCH", "/v1/me", json: ["display_name": "Bärbel"], token: token)
            #expect(renamed.status == 200)
            #expect(renamed.json["display_name"]?.stringValue == "Bärbel")
            let roles = try await server.send("PATCH", "/v1/me", json: ["roles": ["admin"]], token: token)
            #expect(roles.status == 400)
            #expect(roles.json["errors"]?.arrayValue?.first?["field"]?.stringValue == "roles")
            let long = try await server.send(
                "PATCH", "/v1/me", json: ["display_name": .string(String(repeating: "ä", count: 61))], token: token
            )
            #expect(long.status == 400)
            let sixty = try await server.send(
                "PATCH", "/v1/me", json: ["display_name": .string(String(repeating: "ä", count: 60))], token: token
            )
            #expect(sixty.status == 200)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("only an admin grants roles; a grant applies to existing tokens at once")
    func grants() async throws {
        let server = try await InProcessApp()
        do {
            let (admin, _) = try await server.signUp(roles: [.admin])
            let (customer, customerID) = try await server.signUp()
            let selfGrant = try await server.send(
                "POST", "/v1/admin/accounts/\(customerID)/roles", json: ["role": "admin"], token: customer
            )
            #expect(selfGrant.status == 403)
            #expect(selfGrant.code == "forbidden")
            let beforeGrant = try await server.send(
                "POST", "/v1/live-sessions", json: ["title": "Show"], token: customer
            )
            #expect(beforeGrant.status == 403)
            let granted = try await server.send(
                "POST", "/v1/admin/accounts/\(customerID)/roles", json: ["role": "host"], token: admin
            )
            #expect(granted.status == 200)
            #expect(granted.json["roles"] == ["customer", "host"])
            let me = try await server.send("GET", "/v1/me", token: customer)
            #expect(me.json["roles"] == ["customer", "host"])
            let missing = try await server.send(
                "POST", "/v1/admin/accounts/acct_doesnotexist/roles", json: ["role": "host"], token: admin
            )
            #expect(missing.status == 404)
            let badRole = try await server.send(
                "POST", "/v1/admin/accounts/\(customerID)/roles", json: ["role": "emperor"], token: admin
            )
            #expect(badRole.status == 400)
        } catch { Issue.record(error) }
        await server.stop()
    }

    @Test("tokens survive a restart until logout")
    func tokensSurviveRestart() async throws {
        let first = try await TestServer()
        let (token, _) = try await first.signUp()
        let path = first.databasePath
        await first.stop(removeDatabase: false)
        let second = try await TestServer(databasePath: path)
        do {
            #expect(try await second.send("GET", "/v1/me", token: token).status == 200)
        } catch { Issue.record(error) }
        await second.stop()
    }
}
