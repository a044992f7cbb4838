/// Polls `condition` until it holds, a bounded number of times: for state of another process that no event here
/// announces. - Throws: when it never held, naming `what`.
public func waitUntil(
    _ what: String, attempts: Int = 1_500, pause: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async throws {
    for _ in 0..<attempts {
        if try await condition() { return }
        try await Task.sleep(for: pause)
    }
    throw TestClientError("timed out waiting until \(what)")
}
