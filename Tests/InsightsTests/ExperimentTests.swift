import Core
import Foundation
import Storage
import Testing
import TestSupport

/// Experiments of API.md §21 and §24 through the API: the admin's rules, assignment recomputed from the revealed
/// salt, the `analytics` consent gate, and exact results on a data set the test writes.
@Suite("Experiments")
struct ExperimentTests {
    static let variants: JSON = [["key": "control", "weight": 1], ["key": "green", "weight": 2], ["key": "blue", "weight": 3]]

    @Test("an admin creates, lists and stops; key and variant rules, key_taken, stop twice, who may call")
    func lifecycle() async throws {
        try await InsightsWorld.with { w in
            let bad: [(JSON, String)] = [
                (["key": "Bad Key", "variants": Self.variants], "key"),
                (["key": .string(String(repeating: "a", count: 41)), "variants": Self.variants], "key"),
                (["key": "ok", "variants": [["key": "a", "weight": 1]]], "variants"),
                (["key": "ok", "variants": [["key": "a", "weight": 0], ["key": "b", "weight": 1]]], "variants[0].weight"),
                (["key": "ok", "variants": [["key": "a", "weight": 1], ["key": "a", "weight": 1]]], "variants[1].key"),
                (["key": "ok", "variants": [["key": "A b", "weight": 1], ["key": "b", "weight": 1]]], "variants[0].key"),
                (["key": "ok", "variants": Self.variants, "salt": "00"], "salt"),
            ]
            for (body, field) in bad {
                let answer = try await w.server.send("POST", "/v1/admin/experiments", json: body, token: w.admin)
                #expect(answer.status == 400, "\(body.serializedString()) → \(answer.status)")
                #expect(answer.json["errors"]?.arrayValue?.first?["field"]?.stringValue == field, "\(answer.text)")
            }
            let created = try await w.server.send(
                "POST", "/v1/admin/experiments", json: ["key": "checkout-button", "description": "Button colour", "variants": Self.variants],
                token: w.admin
            )
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"] == "running" && created.json["salt"] == .null)
            #expect(created.json["id"]?.stringValue?.hasPrefix("exp_") == true)
            #expect(created.json["variants"] == Self.variants)
            let hash = try #require(created.json["salt_hash"]?.stringValue)
            #expect(hash.count == 64)
            let taken = try await w.server.send("POST", "/v1/admin/experiments", json: ["key": "checkout-button", "variants": Self.variants], token: w.admin)
            #expect(taken.status == 409 && taken.code == "key_taken")
            let (customer, _) = try await w.server.signUp()
            #expect(try await w.server.send("POST", "/v1/admin/experiments", json: ["key": "x", "variants": Self.variants], token: customer).status == 403)
            #expect(try await w.server.send("GET", "/v1/admin/experiments/checkout-button/results", token: customer).status == 403)
            let list = try await w.server.send("GET", "/v1/admin/experiments", token: w.admin)
            #expect(list.json["data"]?.arrayValue?.map { $0["key"]?.stringValue } == ["checkout-button"])
            #expect(try await w.server.send("GET", "/v1/admin/experiments/checkout-button", token: w.admin).json["salt_hash"]?.stringValue == hash)

            let stopped = try await w.server.send("POST", "/v1/admin/experiments/checkout-button/stop", token: w.admin)
            #expect(stopped.status == 200 && stopped.json["status"] == "stopped", "\(stopped.text)")
            let salt = try #require(stopped.json["salt"]?.stringValue)
            #expect(salt.count == 32 && salt.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(Hex.encode(SHA256.hash(Array(salt.utf8))) == hash)
            let twice = try await w.server.send("POST", "/v1/admin/experiments/checkout-button/stop", json: [:], token: w.admin)
            #expect(twice.status == 409 && twice.code == "invalid_state")
            #expect(try await w.server.send("POST", "/v1/admin/experiments/nothing/stop", token: w.admin).status == 404)
            #expect(try await w.server.send("GET", "/v1/me/experiments/nothing", token: customer).status == 404)
        }
    }

    @Test("1,000 accounts' assignments recomputed from the revealed salt; exposures counted once, none after the stop")
    func thousandAssignments() async throws {
        try await InsightsWorld.with { w in
            let created = try await w.server.send("POST", "/v1/admin/experiments", json: ["key": "hero", "variants": Self.variants], token: w.admin)
            try #require(created.status == 201, "\(created.text)")
            let accounts = (0..<1_000).map { String(format: "acct_t%05d", $0) }
            try await w.insertAccounts(accounts, analytics: true)
            var served: [String: String] = [:]
            for account in accounts {
                let answer = try await w.server.services.experiments.assignment("hero", for: account)
                #expect(answer.logged)
                served[account] = answer.variant
            }
            // The route answers the same, and a second call logs nothing new.
            let (token, id) = try await w.server.signUp()
            try await w.consent("analytics", true, token: token)
            let first = try await w.server.send("GET", "/v1/me/experiments/hero", token: token)
            #expect(first.status == 200 && first.json["key"] == "hero", "\(first.text)")
            served[id] = try #require(first.json["variant"]?.stringValue)
            #expect(try await w.server.send("GET", "/v1/me/experiments/hero", token: token).json["variant"]?.stringValue == served[id])

            let results = try await w.server.send("GET", "/v1/admin/experiments/hero/results", token: w.admin)
            let exposed = results.json["variants"]?.arrayValue?.compactMap { $0["exposed"]?.intValue } ?? []
            #expect(exposed.reduce(0, +) == 1_001, "\(results.text)")

            let stopped = try await w.server.send("POST", "/v1/admin/experiments/hero/stop", token: w.admin)
            let salt = try #require(stopped.json["salt"]?.stringValue)
            #expect(Hex.encode(SHA256.hash(Array(salt.utf8))) == created.json["salt_hash"]?.stringValue)
            let weights: [(String, Int64)] = [("control", 1), ("green", 2), ("blue", 3)]
            var mismatches = 0
            var counts: [String: Int] = [:]
            for (account, variant) in served {
                if IndependentAssignment.variant(salt: salt, account: account, variants: weights) != variant { mismatches += 1 }
                counts[variant, default: 0] += 1
            }
            #expect(mismatches == 0)
            // The split follows the weights (1:2:3 of 1,001 is 167:334:500; 4 standard deviations either way).
            #expect(abs((counts["control"] ?? 0) - 167) < 48 && abs((counts["green"] ?? 0) - 334) < 60 && abs((counts["blue"] ?? 0) - 500) < 64, "\(counts)")
            // After the stop: the same answer, nothing logged.
            let after = try await w.server.services.experiments.assignment("hero", for: accounts[0])
            #expect(after.variant == served[accounts[0]] && !after.logged)
            let late = "acct_late"
            try await w.insertAccounts([late], analytics: true)
            #expect(try await w.server.services.experiments.assignment("hero", for: late).logged == false)
            let final = try await w.server.send("GET", "/v1/admin/experiments/hero/results", token: w.admin)
            #expect(final.json["variants"]?.arrayValue?.compactMap { $0["exposed"]?.intValue }.reduce(0, +) == 1_001)
        }
    }

    @Test("without the analytics consent: the first variant and nothing logged; the export lists exposures")
    func consentGate() async throws {
        try await InsightsWorld.with { w in
            let created = try await w.server.send(
                "POST", "/v1/admin/experiments", json: ["key": "banner", "variants": [["key": "off", "weight": 1], ["key": "on", "weight": 9_999]]],
                token: w.admin
            )
            try #require(created.status == 201)
            let (token, id) = try await w.server.signUp()
            func exposed() async throws -> Int64 {
                let results = try await w.server.send("GET", "/v1/admin/experiments/banner/results", token: w.admin)
                return results.json["variants"]?.arrayValue?.compactMap { $0["exposed"]?.intValue }.reduce(0, +) ?? -1
            }
            let without = try await w.server.send("GET", "/v1/me/experiments/banner", token: token)
            #expect(without.json == ["key": "banner", "variant": "off"], "\(without.text)")
            #expect(try await exposed() == 0)
            try await w.consent("analytics", true, token: token)
            let with = try await w.server.send("GET", "/v1/me/experiments/banner", token: token)
            #expect(try await exposed() == 1)
            try await w.consent("analytics", false, token: token)
            #expect(try await w.server.send("GET", "/v1/me/experiments/banner", token: token).json["variant"] == "off")
            #expect(try await exposed() == 1)
            let export = try await w.server.send("GET", "/v1/me/export", token: token)
            let exposures = export.json["experiment_exposures"]?.arrayValue ?? []
            #expect(exposures.count == 1 && exposures.first?["experiment_key"] == "banner")
            #expect(exposures.first?["variant"] == with.json["variant"] && exposures.first?["exposed_at"]?.stringValue != nil)
            let stopped = try await w.server.send("POST", "/v1/admin/experiments/banner/stop", token: w.admin)
            let salt = try #require(stopped.json["salt"]?.stringValue)
            #expect(with.json["variant"]?.stringValue == IndependentAssignment.variant(salt: salt, account: id, variants: [("off", 1), ("on", 9_999)]))
            // Erasure takes the exposure out of the results, stopped experiment or not.
            let erased = try await w.server.send("DELETE", "/v1/me", json: ["password": "correct horse battery"], token: token)
            #expect(erased.status == 204, "\(erased.text)")
            #expect(try await exposed() == 0)
        }
    }

    @Test("results exact: conversion within 7 days of the first exposure, revenue net of refunds, Wilson, SRM")
    func exactResults() async throws {
        try await InsightsWorld.with { w in
            let created = try await w.server.send(
                "POST", "/v1/admin/experiments",
                json: ["key": "checkout", "variants": [["key": "control", "weight": 1], ["key": "treatment", "weight": 1], ["key": "big", "weight": 2]]],
                token: w.admin
            )
            let experiment = try #require(created.json["id"]?.stringValue)
            try await w.insertAccounts(["acct_a1", "acct_a2", "acct_a3", "acct_b1", "acct_b2", "acct_b3", "acct_b4", "acct_c1"], analytics: false)
            let t: Int64 = 1_800_000_000
            let day: Int64 = 86_400
            try await w.server.database.write { db in
                for (account, variant) in [("acct_a1", "control"), ("acct_a2", "control"), ("acct_a3", "control"), ("acct_b1", "treatment"),
                                           ("acct_b2", "treatment"), ("acct_b3", "treatment"), ("acct_b4", "treatment")] {
                    try db.run(
                        "INSERT INTO experiment_exposures (experiment_id, account_id, variant, exposed_at) VALUES (?, ?, ?, ?)",
                        experiment, account, variant, t
                    )
                }
                func order(_ id: String, _ account: String, total: Int64, refunded: Int64 = 0, at: Int64) throws {
                    let status = refunded == 0 ? "paid" : (refunded == total ? "refunded" : "partially_refunded")
                    try db.run(
                        """
                        INSERT INTO orders (id, account_id, status, subtotal_cents, discount_cents, total_cents, refunded_cents, created_at)
                        VALUES (?, ?, ?, ?, 0, ?, ?, ?)
                        """,
                        id, account, status, total, total, refunded, at
                    )
                }
                try order("ord_a1", "acct_a1", total: 1_000, at: t + day)               // converts
                try order("ord_a2", "acct_a2", total: 5_000, at: t + 8 * day)           // too late
                try order("ord_a3x", "acct_a3", total: 4_000, at: t - 3_600)            // before the exposure
                try order("ord_a3y", "acct_a3", total: 900, refunded: 900, at: t + day) // fully refunded
                try order("ord_b1x", "acct_b1", total: 3_000, refunded: 1_000, at: t + 2 * day)
                try order("ord_b1y", "acct_b1", total: 500, at: t + 3 * day)
                try order("ord_b2", "acct_b2", total: 700, at: t + 7 * day)             // the last second counts
                try order("ord_c1", "acct_c1", total: 9_999, at: t + day)               // never exposed
            }
            let results = try await w.server.send("GET", "/v1/admin/experiments/checkout/results", token: w.admin)
            #expect(results.status == 200, "\(results.text)")
            let expected: JSON = [
                "key": "checkout",
                "variants": [
                    ["key": "control", "exposed": 3, "converted": 1, "conversion_rate": .double(0.3333), "revenue_cents": 1_000,
                     "revenue_per_exposed_cents": 333, "conversion_ci95": [.double(0.0615), .double(0.7923)]],
                    ["key": "treatment", "exposed": 4, "converted": 2, "conversion_rate": .double(0.5), "revenue_cents": 3_200,
                     "revenue_per_exposed_cents": 800, "conversion_ci95": [.double(0.15), .double(0.85)]],
                    ["key": "big", "exposed": 0, "converted": 0, "conversion_rate": .double(0), "revenue_cents": 0,
                     "revenue_per_exposed_cents": 0, "conversion_ci95": .null],
                ],
                "srm_p_value": results.json["srm_p_value"] ?? .null, "srm_alert": false, "currency": "EUR",
            ]
            #expect(results.json == expected, "\(results.text)")
            // χ² of (3, 4, 0) against 1:1:2 is 51/7 with 2 degrees of freedom: p = e^(−51/14).
            let p = try #require(results.json["srm_p_value"].flatMap { if case let .double(d) = $0 { d } else { nil } })
            #expect(abs(p - exp(-51.0 / 14)) < 1e-12)
        }
    }
}
