import Core
import Feedback
import HTTP

/// API.md §19: survey invitations, answers and the feedback report.
enum FeedbackRoutes {
    static func routes(_ s: Services) -> [Route] {
        [
            Route(.GET, "/v1/surveys/pending", .signedIn) { req in
                let german = req.prefersGerman
                let pending = try await s.surveys.pending(of: req.caller.accountID)
                return .json(200, ["data": .array(pending.map { json($0, surveys: s.surveys.surveys, german: german) })])
            },
            Route(.POST, "/v1/surveys/invitations/{id}/responses", .signedIn) { req in
                let id = req.parameter("id")
                _ = try await s.surveys.invitation(id, of: req.caller.accountID)
                let body = try req.body(allowed: ["score", "comment"])
                let response = try await s.surveys.respond(
                    to: id, score: try body.int("score"), comment: try body.optionalText("comment", 0...2000),
                    by: req.caller.accountID
                )
                return .json(201, response.json)
            },
            // The tactical layer (an addition): comments by product category and the words that recur.
            Route(.GET, "/v1/admin/feedback/patterns", .role(.admin)) { req in
                let patterns = try await s.surveys.patterns(from: try time(req, "from"), to: try time(req, "to"))
                func words(_ list: [(word: String, count: Int64)]) -> JSON {
                    .array(list.map { ["word": .string($0.word), "count": .int($0.count)] })
                }
                return .json(200, [
                    "categories": .array(patterns.categories.map { c in
                        [
                            "category": .string(c.category), "responses": .int(c.responses), "detractors": .int(c.detractors),
                            "average_score": .double(c.averageScore), "comments": .array(c.comments.map(JSON.string)),
                        ]
                    }),
                    "words": words(patterns.words), "detractor_words": words(patterns.detractorWords),
                ])
            },
            Route(.GET, "/v1/admin/feedback/report", .role(.admin)) { req in
                let from = try time(req, "from")
                let to = try time(req, "to")
                return .json(200, try await s.surveys.report(from: from, to: to).json)
            },
        ]
    }

    static func time(_ req: APIRequest, _ name: String) throws -> Int64? {
        guard let text = req.query(name), !text.isEmpty else { return nil }
        guard let date = Timestamp.parse(text) else { throw Failure.invalid(name, "must be an RFC 3339 timestamp") }
        return date.epochSeconds
    }

    static func json(_ i: Invitation, surveys: [Survey], german: Bool) -> JSON {
        let survey = surveys.first { $0.name == i.survey }
        return [
            "id": .string(i.id), "survey": .string(i.survey), "question": .string(survey?.question.text(german: german) ?? ""),
            "scale": ["min": .int(survey?.scale.lowerBound ?? 0), "max": .int(survey?.scale.upperBound ?? 0)],
            "subject": ["type": .string(i.subjectType), "id": .string(i.subjectID)],
            "expires_at": CommerceJSON.time(i.expiresAt), "created_at": CommerceJSON.time(i.createdAt),
        ]
    }
}

extension SurveyResponse {
    var json: JSON {
        [
            "id": .string(id), "invitation_id": .string(invitationID), "score": .int(score), "comment": JSON(comment),
            "created_at": CommerceJSON.time(createdAt),
        ]
    }
}

extension FeedbackReport {
    /// Public for the CLI's `basar feedback report --json`, which prints the same document.
    public var json: JSON {
        func group(_ name: String) -> JSON {
            let g = groups[name]
            return [
                "accounts": .int(g?.accounts ?? 0), "average_order_cents": .int(g?.averageOrderCents ?? 0),
                "refund_rate": .double(g?.refundRate ?? 0), "repeat_purchase_rate": .double(g?.repeatPurchaseRate ?? 0),
            ]
        }
        return [
            "nps": [
                "score": .double(npsScore), "promoters": .int(promoters), "passives": .int(passives),
                "detractors": .int(detractors), "responses": .int(npsResponses),
            ],
            "csat": ["score": .double(csatScore), "responses": .int(csatResponses)],
            "ces": ["average": .double(cesAverage), "responses": .int(cesResponses)],
            "invitations": .int(invitations), "response_rate": .double(responseRate),
            "cases": [
                "opened": .int(casesOpened), "answered_within_48h": .int(answeredWithin48h),
                "median_first_response_seconds": .int(medianFirstResponseSeconds), "escalated": .int(escalated),
                "recovered": .int(recovered),
            ],
            "by_group": ["promoter": group("promoter"), "passive": group("passive"), "detractor": group("detractor")],
            "currency": .string(Money.currency),
        ]
    }
}
