import Core
import Social

/// `basar red-packets verify`: recompute a red packet's shares from its revealed seed (as `games verify` does).
enum RedPacketsCommand {
    static let help = """
        basar red-packets verify --seed HEX --total CENTS --count N [--json]

        Prints the shares of API.md §20's split in draw order and the seed's SHA-256 commitment, so anyone can check a
        packet once its seed is revealed.
        """

    static func run(_ args: inout Arguments) async throws {
        if args.flag("help") { print(help); return }
        guard Array(args.positional.dropFirst()) == ["verify"] else { throw UsageError("usage: basar red-packets verify") }
        let hex = try args.required("seed")
        guard let seed = Hex.decode(hex), seed.count == 32 else { throw UsageError("--seed must be 64 hex digits (32 bytes)") }
        guard let total = try args.integer("total", 1...20_000) else { throw UsageError("--total is required") }
        guard let count = try args.integer("count", 1...100) else { throw UsageError("--count is required") }
        guard total >= count else { throw UsageError("--total must be at least --count") }
        try args.rejectUnknown()
        let shares = RedPacketShares.split(total: total, count: Int(count), seed: seed)
        let commitment = Hex.encode(SHA256.hash(seed))
        if args.flag("json") {
            print(JSON.object([("server_seed_hash", .string(commitment)), ("shares", .array(shares.map(JSON.int)))]).serializedString())
        } else {
            print("server_seed_hash \(commitment)")
            print("shares \(shares.map(String.init).joined(separator: " "))")
        }
    }
}
