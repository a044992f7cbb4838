/// Lets only a few of a suite's test servers run at once. Swift Testing runs every test in parallel; on two cores,
/// dozens of servers each hashing passwords and racing buyers make single requests slow enough to hit timeouts.
public actor ServerGate {
    public static let shared = ServerGate(limit: 4)

    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) { available = limit }

    public func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
