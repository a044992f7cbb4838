import Core
import HTTP
import Insights

/// API.md §21: experiments, recommendations and the attribution trail.
enum InsightsRoutes {
    static func routes(_ s: Services) -> [Route] {
        let rendered = RenderedAnswers()
        return experimentRoutes(s) + [
            Route(.GET, "/v1/products/{id}/recommendations", .everyone) { req in
                let id = req.parameter("id")
                let limit: Int
                do {
                    limit = try Self.limit(req)
                } catch {
                    try await s.recommendations.requireProduct(id)  // an unknown product is 404 before a 400 (§24)
                    throw error
                }
                let answer = try await s.recommendations.forProduct(id, limit: limit, caller: req.principal?.accountID)
                // A product page's answer is the same for every anonymous caller until it changes: rendered once.
                if let shared = answer.shared, let bytes = rendered.bytes(for: shared) { return .json(status: 200, bytes) }
                let bytes = JSON.object([("data", .array(answer.items.map(\.json)))]).serialized()
                if let shared = answer.shared { rendered.keep(bytes, for: shared) }
                return .json(status: 200, bytes)
            },
            Route(.GET, "/v1/me/recommendations", .signedIn) { req in
                let result = try await s.recommendations.forAccount(req.caller.accountID, limit: try Self.limit(req))
                return .json(200, ["data": .array(result.items.map(\.json)), "personalized": .bool(result.personalized)])
            },
            Route(.POST, "/v1/admin/recommendations/rebuild", .role(.admin)) { req in
                _ = try req.body(allowed: [])
                let rebuilt = try await s.recommendations.rebuild()
                return .json(200, [
                    "orders": .int(rebuilt.orders), "order_lines": .int(rebuilt.orderLines),
                    "products": .int(Int64(rebuilt.products)), "pairs": .int(Int64(rebuilt.pairs)),
                    "read_ms": .int(rebuilt.readMilliseconds), "write_ms": .int(rebuilt.writeMilliseconds),
                ])
            },
            Route(.GET, "/v1/orders/{id}/attribution", .signedIn) { req in
                let trail = try await s.attribution.attribution(
                    of: req.parameter("id"), visibleTo: req.caller.accountID, seesAll: req.caller.isOrderStaff
                )
                return .json(200, trail.json)
            },
        ]
    }

    static func experimentRoutes(_ s: Services) -> [Route] {
        [
            Route(.POST, "/v1/admin/experiments", .role(.admin)) { req in
                let body = try req.body(allowed: ["key", "description", "variants"])
                return .json(201, try await s.experiments.create(try draft(body)).json)
            },
            Route(.GET, "/v1/admin/experiments", .role(.admin)) { req in
                .json(200, CommerceJSON.list(try await s.experiments.experiments(page: try req.page()), \.json))
            },
            Route(.GET, "/v1/admin/experiments/{key}", .role(.admin)) { req in
                .json(200, try await s.experiments.experiment(req.parameter("key")).json)
            },
            Route(.POST, "/v1/admin/experiments/{key}/stop", .role(.admin)) { req in
                let key = req.parameter("key")
                _ = try await s.experiments.experiment(key)
                _ = try req.body(allowed: [])
                return .json(200, try await s.experiments.stop(key).json)
            },
            Route(.GET, "/v1/admin/experiments/{key}/results", .role(.admin)) { req in
                .json(200, try await s.experiments.results(req.parameter("key")).json)
            },
            Route(.GET, "/v1/me/experiments/{key}", .signedIn) { req in
                let answer = try await s.experiments.assignment(req.parameter("key"), for: req.caller.accountID)
                return .json(200, ["key": .string(answer.key), "variant": .string(answer.variant)])
            },
        ]
    }

    /// `limit` of the recommendation lists: 1–20, default 8.
    static func limit(_ req: APIRequest) throws -> Int {
        guard let raw = req.query("limit") else { return RecommendationService.defaultLimit }
        guard let limit = Int(raw), RecommendationService.limits.contains(limit) else {
            throw Failure.invalid("limit", "must be 1–20")
        }
        return limit
    }

    /// `{"key", "description"?, "variants": [{"key", "weight"}] (2–5)}`, every rule named by its field.
    static func draft(_ body: Body) throws -> ExperimentService.Draft {
        let key = try body.string("key")
        guard ExperimentRules.isValidKey(key) else { throw Failure.invalid("key", "must match [a-z0-9-]{1,40}") }
        let description = try body.optionalText("description", ExperimentRules.descriptionLength)
        let items = try body.objects("variants", allowed: ["key", "weight"], count: ExperimentRules.variantCount)
        var seen = Set<String>()
        let variants = try items.enumerated().map { index, item in
            let variantKey = try item.string("key")
            guard ExperimentRules.isValidVariantKey(variantKey) else {
                throw Failure.invalid("variants[\(index)].key", "must match [a-z0-9_-]{1,40}")
            }
            guard seen.insert(variantKey).inserted else {
                throw Failure.invalid("variants[\(index)].key", "appears on an earlier variant")
            }
            return Experiment.Variant(key: variantKey, weight: try item.int("weight", ExperimentRules.weightRange))
        }
        return ExperimentService.Draft(key: key, description: description, variants: variants)
    }
}

/// Rendered answers by their serial (``ProductRecommendations/shared``), bounded; most JSON work of a product page's
/// recommendations is rendering eight products, and the serial says when that rendering is still the answer.
final class RenderedAnswers: Sendable {
    static let maxEntries = 20_000
    private let answers = Mutex([UInt64: [UInt8]]())

    func bytes(for serial: UInt64) -> [UInt8]? { answers.withLock { $0[serial] } }

    func keep(_ bytes: [UInt8], for serial: UInt64) {
        answers.withLock { answers in
            if answers.count >= Self.maxEntries { answers.removeAll(keepingCapacity: true) }
            answers[serial] = bytes
        }
    }
}

extension Experiment {
    var json: JSON {
        [
            "id": .string(id), "key": .string(key), "description": JSON(description),
            "variants": .array(variants.map { ["key": .string($0.key), "weight": .int($0.weight)] }),
            "status": .string(status.rawValue), "salt_hash": .string(saltHash), "salt": JSON(revealedSalt),
            "created_at": CommerceJSON.time(createdAt), "stopped_at": stoppedAt.map(CommerceJSON.time) ?? .null,
        ]
    }
}

extension ExperimentResults {
    var json: JSON {
        [
            "key": .string(key),
            "variants": .array(variants.map { v in
                [
                    "key": .string(v.key), "exposed": .int(v.exposed), "converted": .int(v.converted),
                    "conversion_rate": .double(v.conversionRate), "revenue_cents": .int(v.revenueCents),
                    "revenue_per_exposed_cents": .int(v.revenuePerExposedCents),
                    "conversion_ci95": v.conversionCI95.map { [.double($0.low), .double($0.high)] } ?? .null,
                ]
            }),
            "srm_p_value": .double(srmPValue), "srm_alert": .bool(srmAlert), "currency": .string(Money.currency),
        ]
    }
}

extension ExperimentExposure {
    /// One entry of the export's `experiment_exposures`.
    var json: JSON {
        ["experiment_key": .string(experimentKey), "variant": .string(variant), "exposed_at": CommerceJSON.time(exposedAt)]
    }
}

extension Recommendation {
    var json: JSON {
        var members: [(String, JSON)] = [
            ("product", product.json), ("reason", .string(reason.rawValue)),
            ("score", .double(ExperimentStatistics.round4(score))),
        ]
        if let becauseOf { members.append(("product_id", .string(becauseOf))) }
        return .object(members)
    }
}

extension OrderAttribution {
    var json: JSON {
        [
            "order_id": .string(orderID),
            "touchpoints": .array(touchpoints.map { t in
                .object([("type", .string(t.type.rawValue)), ("id", .string(t.id)), ("at", CommerceJSON.time(t.at))]
                    + t.details.map { ($0.0, JSON.string($0.1)) })
            }),
            "refunds": .array(refunds.map {
                ["id": .string($0.id), "amount_cents": .int($0.amountCents), "created_at": CommerceJSON.time($0.createdAt)]
            }),
            "currency": .string(Money.currency),
        ]
    }
}
