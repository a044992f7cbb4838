import Core
import Foundation
import Storage

/// The tactical layer of the feedback loop (issue 19): comments grouped by the product categories of the orders they
/// are about, and the words that recur, so that a pattern stands out before it becomes a trend.
public struct FeedbackPatterns: Sendable, Equatable {
    public struct Category: Sendable, Equatable {
        public var category: String
        public var responses: Int64
        public var detractors: Int64
        public var averageScore: Double
        public var comments: [String]
    }

    public var categories: [Category]
    /// The most frequent words of all comments, stop words removed, most frequent first (ties alphabetical).
    public var words: [(word: String, count: Int64)]
    /// The same over detractors' comments only.
    public var detractorWords: [(word: String, count: Int64)]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.categories == rhs.categories && lhs.words.map(\.word) == rhs.words.map(\.word)
            && lhs.detractorWords.map(\.word) == rhs.detractorWords.map(\.word)
    }

    /// German and English function words, so "nicht" and "the" never top the list.
    static let stopWords: Set<String> = [
        "aber", "alle", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "da", "das", "dass", "dem",
        "den", "der", "des", "die", "dies", "diese", "doch", "du", "ein", "eine", "einem", "einen", "einer", "es", "für",
        "hat", "hatte", "habe", "ich", "ihr", "im", "in", "ist", "ja", "kein", "keine", "man", "mein", "meine", "mit",
        "mir", "nach", "noch", "nur", "oder", "schon", "sehr", "sein", "sich", "sie", "sind", "so", "um", "und", "uns",
        "von", "vor", "war", "was", "wie", "wir", "wird", "wurde", "zu", "zum", "zur", "über", "and", "are", "but", "for",
        "had", "has", "have", "not", "that", "the", "this", "was", "were", "with", "you", "very", "nicht", "mehr",
    ]

    /// Words of a text: lower case, letters only, at least three of them, stop words left out.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init).filter { $0.count >= 3 && !stopWords.contains($0) }
    }

    static func top(_ texts: [String], limit: Int = 20) -> [(word: String, count: Int64)] {
        var counts: [String: Int64] = [:]
        for text in texts { for word in Set(words(text)) { counts[word, default: 0] += 1 } }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit).map { ($0.key, $0.value) }
    }
}

extension SurveyService {
    /// Patterns of the answers created in `[from, to)`; nil is unbounded.
    public func patterns(from: Int64?, to: Int64?) async throws -> FeedbackPatterns {
        let surveys = self.surveys
        return try await database.read { db in
            try Self.patterns(surveys: surveys, from: from ?? Int64.min / 2, to: to ?? Int64.max / 2, in: db)
        }
    }

    /// The answers of `[from, to)` grouped by the product categories they are about, and their recurring words.
    static func patterns(surveys: [Survey], from: Int64, to: Int64, in db: any Transaction) throws -> FeedbackPatterns {
        let answers = try FeedbackStore.answers(from: from, to: to, in: db)
        var byCategory: [String: (responses: Int64, detractors: Int64, scoreSum: Double, comments: [String])] = [:]
        var comments: [String] = []
        var detractorComments: [String] = []
        for answer in answers {
            guard let survey = surveys.first(where: { $0.name == answer.survey }) else { continue }
            let score = answer.score
            let detractor = survey.isDetractor(score)
            // A score on its scale as 0…1, so NPS, CSAT and CES answers can share one average.
            let normalized = Double(score - survey.scale.lowerBound) / Double(survey.scale.upperBound - survey.scale.lowerBound)
            let comment = answer.comment.flatMap { $0.isEmpty ? nil : $0 }
            if let comment {
                comments.append(comment)
                if detractor { detractorComments.append(comment) }
            }
            for category in try FeedbackStore.categories(subjectType: answer.subjectType, subjectID: answer.subjectID, in: db) {
                var entry = byCategory[category] ?? (0, 0, 0, [])
                entry.responses += 1
                entry.detractors += detractor ? 1 : 0
                entry.scoreSum += normalized
                if let comment { entry.comments.append(comment) }
                byCategory[category] = entry
            }
        }
        let categories = byCategory.map { name, entry in
            FeedbackPatterns.Category(
                category: name, responses: entry.responses, detractors: entry.detractors,
                averageScore: FeedbackReport.round(entry.scoreSum / Double(entry.responses), places: 4),
                comments: Array(entry.comments.prefix(20))
            )
        }.sorted { $0.detractors != $1.detractors ? $0.detractors > $1.detractors : $0.category < $1.category }
        return FeedbackPatterns(
            categories: categories, words: FeedbackPatterns.top(comments), detractorWords: FeedbackPatterns.top(detractorComments)
        )
    }
}
