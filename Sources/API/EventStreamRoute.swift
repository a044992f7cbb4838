import Core
import HTTP
import LiveShopping
import Storage

/// `GET /v1/live-sessions/{id}/events` (API.md §9): server-sent events over the server's streaming responses.
enum EventStreamRoute {
    static func route(_ s: Services) -> Route {
        Route(.GET, "/v1/live-sessions/{id}/events", .everyone) { req in
            // A Last-Event-ID that is not one of our ids counts as none: the client starts fresh.
            let lastEventID = req.lastEventID
            let start = try await s.live.prepareStream(
                req.parameter("id"), lastEventID: lastEventID, viewer: req.principal?.accountID
            )
            return HTTPResponse(status: 200, headers: sseHeaders, body: .stream({ writer in
                let detach = s.live.attach(WriterSink(writer), to: start)
                writer.onClose(detach)
            }))
        }
    }

    /// `GET /v1/me/events` (API.md §13): what happens to the caller across every module, numbered per account.
    static func accountRoute(_ s: Services) -> Route {
        Route(.GET, "/v1/me/events", .signedIn) { req in
            let start = try await s.accountEvents.prepare(
                stream: EventLog.accountStream(req.caller.accountID), lastEventID: req.lastEventID
            )
            return HTTPResponse(status: 200, headers: sseHeaders, body: .stream({ writer in
                writer.onClose(s.accountEvents.attach(WriterSink(writer), to: start))
            }))
        }
    }

    static let sseHeaders: HTTPHeaders = [
        "Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no",
    ]

    /// The names of the account stream (API.md §13) for the log's names; the rest stays internal.
    static func accountEventName(_ name: String) -> String? {
        switch name {
        case "inbox.created", "conversation.message", "team.updated", "red_packet.claimed": name
        case "order.paid", "order.refunded", "order.shipped", "order.delivered": "order.updated"
        case "shipment.created", "shipment.delivered", "shipment.delayed": "shipment.updated"
        default: nil
        }
    }
}

extension APIRequest {
    /// A Last-Event-ID that is not one of our ids counts as none: the client starts fresh.
    var lastEventID: Int64? {
        http.headers["Last-Event-ID"].flatMap { Int64($0.trimmedWhitespace) }.flatMap { $0 >= 0 ? $0 : nil }
    }
}

/// Adapts the server's stream writer to the stream hub's sink, so neither Storage nor a feature imports HTTP.
final class WriterSink: EventSink {
    private let writer: any EventStreamWriter

    init(_ writer: any EventStreamWriter) { self.writer = writer }

    func send(_ bytes: [UInt8]) -> Bool { writer.write(bytes) == .accepted }

    func close() { writer.close() }
}
