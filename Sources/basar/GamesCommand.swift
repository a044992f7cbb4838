import Core
import Foundation
import Games

/// `basar games verify`: recomputes a play from a revealed seed, without trusting (or even reaching) the server.
enum GamesCommand {
    static let help = """
        basar games verify — recompute a mini-game draw from its revealed server seed

        Usage:
          basar games verify --seed HEX --client-seed C --nonce N --game ID [--content DIR] [--prize-table NAME]
                             [--exclude LABELS] [--json]

        Options:
          --seed HEX          the revealed server seed: 64 hex digits (POST /v1/games/{id}/fairness/rotate)
          --client-seed C     the play's client seed, exactly as in the play's "fairness" object
          --nonce N           the play's nonce (0 for the first play under a seed)
          --game ID           the game, e.g. game_wheel
          --content DIR       the Content folder holding games/ (default ./Content)
          --prize-table NAME  the play's "fairness"."prize_table" when it is not null: the experiment variant whose
                              own prize table the play drew from (by default the game file's "prizes")
          --exclude LABELS    comma-separated labels of prizes that were out of the draw when the play happened
                              (their campaign had no coupons left or you had reached its limit; GET /v1/games shows
                              them as "available": false). By default every prize of the game file is in the draw.
          --json              print the result as JSON

        The roll is the first 8 bytes (big-endian) of HMAC-SHA256(key = seed bytes, message = "C:N"); the prize is the
        first one, in file order, whose cumulative weight exceeds roll / 2^64 × total weight. Check also that the
        SHA-256 printed here equals the server_seed_hash the server committed to before the play.
        Exit codes: 0 done, 64 bad usage or value, 65 unknown game.
        """

    static func run(_ args: inout Arguments) async throws {
        let words = Array(args.positional.dropFirst())
        if args.flag("help") || words.isEmpty {
            print(help)
            if args.flag("help") { return }
            throw UsageError("usage: basar games verify --seed HEX --client-seed C --nonce N --game ID")
        }
        guard words == ["verify"] else { throw UsageError("unknown games command '\(words.joined(separator: " "))'; use verify") }
        let seedText = try args.required("seed")
        guard seedText.utf8.count == 64, let seed = Hex.decode(seedText) else {
            throw UsageError("--seed must be 64 hex digits (32 bytes), not '\(seedText)'")
        }
        let clientSeed = try args.required("client-seed")
        guard let nonce = try args.integer("nonce", 0...Int64.max) else { throw UsageError("--nonce is required") }
        let gameID = try args.required("game")
        let content = URL(fileURLWithPath: args.option("content") ?? "Content")
        let tableName = args.option("prize-table")
        let excluded = args.option("exclude").map { $0.split(separator: ",").map { String($0).trimmedWhitespace } } ?? []
        try args.rejectUnknown()

        let games = try GameCatalog.load(from: content.appendingPathComponent("games"))
        guard let game = games.first(where: { $0.id == gameID }) else {
            throw MissingError("no game \(gameID) in \(content.appendingPathComponent("games").path)")
        }
        guard game.isDraw else { throw UsageError("\(gameID) is a pet; it has no draws to verify") }
        guard let table = game.prizeTable(named: tableName) else {
            throw UsageError("--prize-table: \(gameID) has no prize table '\(tableName ?? "")'")
        }
        if let unknown = excluded.first(where: { label in !table.prizes.contains { $0.label == label } }) {
            throw UsageError("--exclude: \(gameID) has no prize labelled '\(unknown)'")
        }
        let inDraw = table.prizes.filter { !excluded.contains($0.label) }
        guard let result = FairDraw.draw(
            serverSeed: seed, clientSeed: clientSeed, nonce: nonce, weights: inDraw.map(\.weight)
        ) else { throw UsageError("--exclude leaves no prize in the draw") }
        let prize = inDraw[result.index]
        let hash = FairDraw.commitment(to: seed)
        if args.flag("json") {
            let value: JSON = [
                "game_id": .string(gameID), "prize_table": JSON(table.name), "label": .string(prize.label), "index": .int(Int64(result.index)),
                "roll": .string(result.rollHex), "roll_fraction": .double(result.fraction),
                "server_seed_hash": .string(hash), "client_seed": .string(clientSeed), "nonce": .int(nonce),
                "prizes_in_draw": .array(inDraw.map { .string($0.label) }),
            ]
            print(value.serializedString())
        } else {
            let total = inDraw.reduce(Int64(0)) { $0 + $1.weight }
            print(prize.label)
            print("roll 0x\(result.rollHex) (\(result.fraction) of 2^64) over \(inDraw.count) prizes, total weight \(total)")
            print("server_seed_hash \(hash)")
        }
    }
}
