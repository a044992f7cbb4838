/// Lets only a few test servers run at once: each signs up accounts with a deliberately slow password hash, and the
/// build machine's two cores are shared, so dozens of servers at once would make requests time out.
actor ServerGate {
    static let shared = ServerGate(limit: 3)

    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { available = limit }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
