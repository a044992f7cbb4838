import API
import HTTP
import TestSupport

/// Who may call each route, written from API.md by hand. The tests compare it with the router's own list
/// (`server.app.api.routes`) in both directions, so a new route cannot be added without deciding who may call it.
enum RouteTable {
    enum Need: String, Sendable {
        case everyone, signedIn, merchant, host, merchantOrHost, agent, admin
    }

    static let needs: [String: Need] = [
        "GET /": .everyone, "GET /web/{file}": .everyone, "GET /healthz": .everyone, "GET /openapi.json": .everyone,
        "GET /docs": .everyone,
        "GET /bench/plaintext": .everyone, "GET /bench/json": .everyone, "POST /bench/echo": .everyone,
        "GET /metrics": .admin,
        // Accounts
        "POST /v1/accounts": .everyone, "POST /v1/sessions": .everyone, "DELETE /v1/sessions/current": .signedIn,
        "GET /v1/me": .signedIn, "PATCH /v1/me": .signedIn, "POST /v1/admin/accounts/{id}/roles": .admin,
        // Catalog and cart
        "GET /v1/products": .everyone, "GET /v1/products/{id}": .everyone, "GET /v1/categories": .everyone,
        "POST /v1/products": .merchant, "PATCH /v1/products/{id}": .merchant,
        "POST /v1/products/{id}/stock-adjustments": .merchant,
        "GET /v1/cart": .signedIn, "PUT /v1/cart/items/{product_id}": .signedIn, "DELETE /v1/cart/items/{product_id}": .signedIn,
        // Wallet and orders
        "GET /v1/wallet": .signedIn, "GET /v1/wallet/transactions": .signedIn, "POST /v1/wallet/top-ups": .signedIn,
        "POST /v1/wallet/transfers": .signedIn, "GET /v1/admin/ledger/check": .admin,
        "POST /v1/orders": .signedIn, "POST /v1/orders/quote": .signedIn, "GET /v1/orders": .signedIn, "GET /v1/orders/{id}": .signedIn,
        "POST /v1/orders/{id}/refunds": .signedIn,
        // Delivery
        "POST /v1/me/addresses": .signedIn, "GET /v1/me/addresses": .signedIn, "DELETE /v1/me/addresses/{id}": .signedIn,
        "POST /v1/orders/{id}/shipments": .merchant, "POST /v1/shipments/{id}/delivered": .merchant,
        "GET /v1/orders/{id}/shipments": .signedIn,
        // Inbox, consents, privacy
        "GET /v1/inbox": .signedIn, "GET /v1/inbox/unread-count": .signedIn, "POST /v1/inbox/{id}/read": .signedIn,
        "POST /v1/inbox/read-all": .signedIn, "GET /v1/me/notification-settings": .signedIn,
        "PATCH /v1/me/notification-settings": .signedIn, "GET /v1/privacy/notices": .everyone,
        "PUT /v1/me/consents/{purpose}": .signedIn, "GET /v1/me/consents": .signedIn, "GET /v1/me/export": .signedIn,
        "DELETE /v1/me": .signedIn, "POST /v1/wallet/payouts": .signedIn, "POST /v1/event-tickets": .signedIn,
        "GET /v1/me/events": .signedIn,
        // Follows and signals
        "PUT /v1/me/following/{account_id}": .signedIn, "DELETE /v1/me/following/{account_id}": .signedIn,
        "GET /v1/me/following": .signedIn, "GET /v1/hosts/{account_id}": .everyone, "GET /v1/admin/signals": .admin,
        // Service conversations
        "POST /v1/conversations": .signedIn, "GET /v1/conversations": .signedIn, "GET /v1/conversations/{id}": .signedIn,
        "GET /v1/conversations/{id}/messages": .signedIn, "POST /v1/conversations/{id}/messages": .signedIn,
        "POST /v1/conversations/{id}/resolve": .signedIn, "POST /v1/conversations/{id}/assign": .agent,
        "POST /v1/conversations/{id}/goodwill": .agent, "GET /v1/conversations/{id}/wallet": .agent,
        // Communities and red packets
        "POST /v1/communities": .merchantOrHost, "GET /v1/communities": .everyone, "GET /v1/communities/{id}": .everyone,
        "POST /v1/communities/{id}/members": .signedIn, "DELETE /v1/communities/{id}/members/me": .signedIn,
        "GET /v1/communities/{id}/messages": .signedIn, "POST /v1/communities/{id}/messages": .signedIn,
        "DELETE /v1/communities/{id}/messages/{message_id}": .signedIn, "POST /v1/communities/{id}/mutes": .signedIn,
        "GET /v1/communities/{id}/events": .signedIn, "POST /v1/red-packets": .signedIn, "GET /v1/red-packets/{id}": .signedIn,
        "POST /v1/red-packets/{id}/claims": .signedIn,
        // Feedback
        "GET /v1/surveys/pending": .signedIn, "POST /v1/surveys/invitations/{id}/responses": .signedIn,
        "GET /v1/admin/feedback/report": .admin, "GET /v1/admin/feedback/patterns": .admin,
        // Experiments, recommendations, attribution
        "POST /v1/admin/experiments": .admin, "GET /v1/admin/experiments": .admin, "GET /v1/admin/experiments/{key}": .admin,
        "POST /v1/admin/experiments/{key}/stop": .admin, "GET /v1/admin/experiments/{key}/results": .admin,
        "GET /v1/me/experiments/{key}": .signedIn, "GET /v1/products/{id}/recommendations": .everyone,
        "GET /v1/me/recommendations": .signedIn, "GET /v1/orders/{id}/attribution": .signedIn,
        "POST /v1/admin/recommendations/rebuild": .admin,
        // Team buys, shares and referrals
        "POST /v1/team-deals": .merchant, "GET /v1/team-deals": .everyone, "GET /v1/team-deals/{id}": .everyone,
        "PATCH /v1/team-deals/{id}": .merchant, "POST /v1/team-deals/{id}/teams": .signedIn,
        "GET /v1/teams/{id}": .signedIn, "POST /v1/teams/{id}/members": .signedIn, "GET /v1/me/teams": .signedIn,
        "POST /v1/shares": .signedIn, "GET /v1/shares/{code}": .everyone, "GET /v1/me/referrals": .signedIn,
        // Without --test-clock both answer 404 to everyone (API.md §13); with it, admins only.
        "GET /v1/admin/test-clock": .everyone, "POST /v1/admin/test-clock": .everyone,
        // Coupons
        "POST /v1/campaigns": .merchant, "GET /v1/campaigns": .merchantOrHost,
        "GET /v1/campaigns/{id}": .merchantOrHost,
        "PATCH /v1/campaigns/{id}": .merchant, "POST /v1/campaigns/{id}/codes": .merchant,
        "GET /v1/campaigns/{id}/codes": .merchant, "POST /v1/coupons/claim": .signedIn, "GET /v1/coupons": .signedIn,
        // Games
        "GET /v1/games": .signedIn, "GET /v1/games/{id}/fairness": .signedIn, "POST /v1/games/{id}/fairness/rotate": .signedIn,
        "POST /v1/games/{id}/plays": .signedIn, "GET /v1/games/{id}/state": .signedIn, "POST /v1/games/{id}/actions": .signedIn,
        // Live shopping
        "POST /v1/live-sessions": .host, "GET /v1/live-sessions": .everyone, "GET /v1/live-sessions/{id}": .everyone,
        "POST /v1/live-sessions/{id}/start": .host, "POST /v1/live-sessions/{id}/end": .host,
        "GET /v1/live-sessions/{id}/stats": .host, "POST /v1/live-sessions/{id}/pins": .host,
        "DELETE /v1/live-sessions/{id}/pins/{pin_id}": .host, "POST /v1/live-sessions/{id}/messages": .signedIn,
        "DELETE /v1/live-sessions/{id}/messages/{msg_id}": .host, "POST /v1/live-sessions/{id}/mutes": .host,
        "POST /v1/live-sessions/{id}/likes": .signedIn, "POST /v1/live-sessions/{id}/coupon-drops": .host,
        "POST /v1/live-sessions/{id}/coupon-drops/{drop_id}/claims": .signedIn,
        "GET /v1/live-sessions/{id}/events": .everyone,
        "POST /v1/live-sessions/{id}/pins/{pin_id}/bids": .signedIn, "GET /v1/live-sessions/{id}/replay": .everyone,
    ]

    struct Entry: Sendable {
        var method: String
        var pattern: String
        var need: Need?

        var name: String { "\(method) \(pattern)" }

        /// The pattern with every `{parameter}` replaced (an id nobody has, by default).
        func path(_ value: String = "zz_missing") -> String {
            var out = ""
            var inside = false
            for character in pattern {
                if character == "{" { inside = true; out += value } else if character == "}" { inside = false } else if !inside { out.append(character) }
            }
            return out
        }

        /// Event streams stay open; the tests that read whole answers skip them.
        var isStream: Bool { pattern.hasSuffix("/events") }
    }

    /// Every route the server has, with its need (nil when the table does not know it: a test failure).
    static func entries(_ server: some TestApp) -> [Entry] {
        server.app.api.routes.map { route in
            let name = "\(route.method.rawValue) \(route.pattern)"
            return Entry(method: route.method.rawValue, pattern: route.pattern, need: needs[name])
        }
    }
}
