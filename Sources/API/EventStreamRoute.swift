import Core
import HTTP
import LiveShopping
import Storage

/// `GET /v1/live-sessions/{id}/events` (API.md §9): server-sent events over the server's streaming responses.
enum EventStreamRoute {
    static func route(_ s: Services) -> Route {
        Route(.GET, "/v1/live-sessions/{id}/events", .everyone) { req in
            // A Last-Event-ID that is not one of our ids counts as none: the client starts fresh.
            let lastEventID = req.http.headers["Last-Event-ID"]
                .flatMap { Int64($0.trimmedWhitespace) }
                .flatMap { $0 >= 0 ? $0 : nil }
            let start = try await s.live.prepareStream(
                req.parameter("id"), lastEventID: lastEventID, viewer: req.principal?.accountID
            )
            let headers: HTTPHeaders = [
                "Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no",
            ]
            return HTTPResponse(status: 200, headers: headers, body: .stream({ writer in
                let detach = s.live.attach(WriterSink(writer), to: start)
                writer.onClose(detach)
            }))
        }
    }
}

/// Adapts the server's stream writer to the stream hub's sink, so neither Storage nor a feature imports HTTP.
final class WriterSink: EventSink {
    private let writer: any EventStreamWriter

    init(_ writer: any EventStreamWriter) { self.writer = writer }

    func send(_ bytes: [UInt8]) -> Bool { writer.write(bytes) == .accepted }

    func close() { writer.close() }
}
