import Core
import Foundation
import HTTP
@testable import HTTPServer

/// Echoes method, path and body; `/slow?ms=N` waits first.
@Sendable func echo(_ request: HTTPRequest) async -> HTTPResponse {
    if let ms = request.query["ms"].flatMap({ Int($0) }) { try? await Task.sleep(for: .milliseconds(ms)) }
    let text = "\(request.method) \(request.path) \(String(decoding: request.body, as: UTF8.self))"
    return HTTPResponse.text(text)
}

/// Starts a server on 127.0.0.1 port 0, runs `body`, and always shuts it down.
func withServer(
    _ configure: (inout ServerConfiguration) -> Void = { _ in },
    logger: Logger = .silent,
    handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse = echo,
    _ body: (HTTPServer) async throws -> Void
) async throws {
    var configuration = ServerConfiguration(port: 0)
    configuration.eventLoops = 2
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, logger: logger, handler: handler)
    try server.start()
    do {
        try await body(server)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}

/// A one-shot signal between test code and handlers (no sleeps).
final class Signal: Sendable {
    private let gate = Gate()
    func fire() { gate.open() }
    func wait() async { await gate.wait() }
    /// Blocks a plain thread until fired.
    func waitBlocking(seconds: Int = 5) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        gate.onOpen { semaphore.signal() }
        return semaphore.wait(timeout: .now() + .seconds(seconds)) == .success
    }
}
