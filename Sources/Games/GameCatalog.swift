import Core
import Foundation

/// A game file that cannot be used; start-up stops with the file and the field named.
public struct GameContentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path.
    public var file: String
    /// The field's path inside the file, such as `prizes[2].weight`; empty when the whole file is wrong.
    public var field: String
    public var message: String

    public init(file: String, field: String, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "game file \(file): \(message)" : "game file \(file): field \(field): \(message)"
    }
}

/// Reads and validates every game file of a folder (the format is documented in `Content/games/README.md`).
public enum GameCatalog {
    /// Loads `*.json` in `directory`, sorted by file name; a missing folder means no games.
    ///
    /// - Parameter directory: usually `Content/games`.
    /// - Returns: the games in file-name order.
    /// - Throws: `GameContentError` naming the file and the field for the first problem found.
    public static func load(from directory: URL) throws -> [GameDefinition] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        let names = try manager.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        var games: [GameDefinition] = []
        var files: [String: String] = [:]
        for name in names {
            let url = directory.appendingPathComponent(name)
            let game = try parse(Array(try Data(contentsOf: url)), file: url.path)
            if let other = files[game.id] {
                throw GameContentError(file: url.path, field: "id", message: "\(game.id) is also the id of \(other)")
            }
            files[game.id] = url.path
            games.append(game)
        }
        return games
    }

    /// Parses and validates one game file.
    ///
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - file: its path, for messages.
    /// - Throws: `GameContentError`.
    public static func parse(_ bytes: [UInt8], file: String) throws -> GameDefinition {
        let json: JSON
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw GameContentError(file: file, field: "", message: "malformed JSON: \(error.message) at byte \(error.offset)")
        }
        let reader = FieldReader(json: json, path: "", file: file)
        guard case .object = json else { throw reader.error("", "the file must hold one JSON object") }
        let kindName = try reader.string("kind")
        guard let kind = GameKind(rawValue: kindName) else {
            throw reader.error("kind", "unknown kind '\(kindName)'; use wheel, scratch or pet")
        }
        let common: Set = ["id", "kind", "title", "description"]
        let drawFields: Set = ["daily_limit", "prizes", "experiment"]
        let petFields: Set = ["max_energy", "energy_refill_seconds", "actions", "level_thresholds", "level_campaign_key"]
        try reader.rejectUnknown(allowed: common.union(kind == .pet ? petFields : drawFields))
        let id = try reader.string("id")
        guard id.hasPrefix("game_"), id.count <= 64, id.utf8.dropFirst(5).allSatisfy(isSlugByte), id.count > 5 else {
            throw reader.error("id", "must be game_ followed by 1–59 of a–z, 0–9, _ and -")
        }
        let title = try reader.string("title")
        guard (1...100).contains(title.trimmedWhitespace.codePointCount) else {
            throw reader.error("title", "must be 1–100 characters")
        }
        let description = try reader.string("description")
        guard description.codePointCount <= 2000 else { throw reader.error("description", "must be at most 2000 characters") }
        if kind == .pet {
            return GameDefinition(
                id: id, kind: kind, title: title, description: description, dailyLimit: nil, prizes: [],
                pet: try petRules(reader), file: file
            )
        }
        let dailyLimit = try reader.int("daily_limit", 1...10_000)
        return GameDefinition(
            id: id, kind: kind, title: title, description: description, dailyLimit: dailyLimit,
            prizes: try prizes(reader), pet: nil, file: file, experiment: try prizeExperiment(reader)
        )
    }

    static func prizes(_ reader: FieldReader) throws -> [Prize] {
        let items = try reader.objects("prizes", count: 1...100)
        var labels = Set<String>()
        var prizes: [Prize] = []
        for item in items {
            try item.rejectUnknown(allowed: ["label", "weight", "campaign_key"])
            let label = try item.string("label")
            guard (1...60).contains(label.codePointCount), label == label.trimmedWhitespace else {
                throw item.error("label", "must be 1–60 characters without surrounding spaces")
            }
            // `basar games verify --exclude` takes a comma-separated list of labels.
            guard !label.contains(",") else { throw item.error("label", "must not contain a comma") }
            guard labels.insert(label).inserted else { throw item.error("label", "'\(label)' appears twice in this game") }
            let weight = try item.int("weight", 1...1_000_000)
            guard item.has("campaign_key") else {
                throw item.error("campaign_key", "is required (null for a prize without a coupon)")
            }
            let key = try item.optionalString("campaign_key")
            if let key { try checkKey(key, item, "campaign_key") }
            prizes.append(Prize(label: label, weight: weight, campaignKey: key))
        }
        return prizes
    }

    static func petRules(_ reader: FieldReader) throws -> PetRules {
        let maxEnergy = try reader.int("max_energy", 1...1000)
        let refill = try reader.int("energy_refill_seconds", 1...86_400)
        let actionsReader = try reader.object("actions")
        try actionsReader.rejectUnknown(allowed: Set(PetRules.actionNames))
        var actions: [String: PetAction] = [:]
        for name in PetRules.actionNames {
            let action = try actionsReader.object(name)
            try action.rejectUnknown(allowed: ["energy", "xp"])
            actions[name] = PetAction(energy: try action.int("energy", 1...maxEnergy), xp: try action.int("xp", 1...1_000_000))
        }
        if actions["feed"] == actions["play"] {
            throw actionsReader.error("play", "must differ from feed in energy or xp")
        }
        let thresholds = try reader.ints("level_thresholds", count: 2...1000, each: 1...1_000_000_000)
        var previous: Int64 = 0
        var previousGap: Int64 = 0
        for (index, threshold) in thresholds.enumerated() {
            let gap = threshold - previous
            guard gap > previousGap else {
                throw reader.error(
                    "level_thresholds[\(index)]", "each level must need more XP than the one before (levels get harder)"
                )
            }
            previous = threshold
            previousGap = gap
        }
        let biggestXP = actions.values.map(\.xp).max() ?? 0
        guard biggestXP <= thresholds[0] else {
            throw reader.error("actions", "an action may earn at most \(thresholds[0]) XP, the first level's need")
        }
        let key = try reader.string("level_campaign_key")
        try checkKey(key, reader, "level_campaign_key")
        return PetRules(
            maxEnergy: maxEnergy, energyRefillSeconds: refill, actions: actions, levelThresholds: thresholds,
            levelCampaignKey: key
        )
    }

    static func checkKey(_ key: String, _ reader: FieldReader, _ field: String) throws {
        guard (1...100).contains(key.utf8.count), key.utf8.allSatisfy(isSlugByte) else {
            throw reader.error(field, "must be a campaign key of a–z, 0–9, _ and -")
        }
    }

    static func isSlugByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
