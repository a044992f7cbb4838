/// One numbered event of a stream, as a ``StreamHub`` writes it: `id:`, `event:` and `data:` of a server-sent event.
public struct StreamEvent: Sendable, Equatable {
    /// Increasing within the stream's key; the client's `Last-Event-ID`.
    public var id: Int64
    /// The `event:` field, such as `pin.added`.
    public var name: String
    /// The payload, usually one line of JSON.
    public var data: [UInt8]

    /// - Parameters:
    ///   - id: increasing within the key.
    ///   - name: the `event:` field.
    ///   - data: the payload's bytes.
    public init(id: Int64, name: String, data: [UInt8]) {
        self.id = id
        self.name = name
        self.data = data
    }

    /// - Parameters:
    ///   - id: increasing within the key.
    ///   - name: the `event:` field.
    ///   - data: the payload as text, usually serialized JSON.
    public init(id: Int64, name: String, data: String) {
        self.init(id: id, name: name, data: Array(data.utf8))
    }

    /// About the size of ``frame``, without building it.
    var frameSize: Int { data.count + name.count + 32 }

    /// The server-sent event (html.spec.whatwg.org, "Server-sent events"): a payload with line breaks becomes one
    /// `data:` line per line, which the client joins again with `\n`.
    var frame: [UInt8] {
        var bytes = Array("id: \(id)\nevent: \(name)\n".utf8)
        bytes.reserveCapacity(bytes.count + data.count + 8)
        let dataPrefix: [UInt8] = Array("data: ".utf8)
        bytes += dataPrefix
        guard data.contains(where: { $0 == 10 || $0 == 13 }) else {
            bytes += data
            bytes += [10, 10]
            return bytes
        }
        var index = 0
        while index < data.count {
            let byte = data[index]
            if byte == 10 || byte == 13 {
                if byte == 13, index + 1 < data.count, data[index + 1] == 10 { index += 1 }
                bytes.append(10)
                bytes += dataPrefix
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        bytes += [10, 10]
        return bytes
    }
}

/// What one read of a ``StreamSource`` found.
public struct StreamPage: Sendable, Equatable {
    /// The events to write, in id order.
    public var events: [StreamEvent]
    /// The id of the last entry read, written or left out; `nil` when nothing was read. The next read starts after
    /// it, so entries the source leaves out (an event name a stream does not carry) still move the cursor.
    public var lastID: Int64?
    /// The read stopped at its limit: more may be there already, so the hub reads again at once.
    public var isFull: Bool

    /// - Parameters:
    ///   - events: the events to write, in id order.
    ///   - lastID: the id of the last entry read, also when it is left out of `events`.
    ///   - isFull: whether the read stopped at its limit.
    public init(events: [StreamEvent], lastID: Int64?, isFull: Bool) {
        self.events = events
        self.lastID = lastID
        self.isFull = isFull
    }

    /// A page in which every entry read is an event to write.
    /// - Parameters:
    ///   - events: what the read returned.
    ///   - limit: the limit it was given; a page of that many is full.
    public init(events: [StreamEvent], limit: Int) {
        self.init(events: events, lastID: events.last?.id, isFull: events.count >= limit)
    }
}

/// Where a ``StreamHub`` reads its events: a log in the database, keyed by an opaque stream key.
///
/// A struct of closures (isowords' client style), so a test passes a fake and each log its own reader.
public struct StreamSource: Sendable {
    /// The events of `key` with an id above `after`, oldest first; at most `limit` entries read.
    public var read: @Sendable (_ key: String, _ after: Int64, _ limit: Int) async throws -> StreamPage
    /// Whether the stream ends after this event (a live session's `session.ended`); the hub writes it, then closes.
    public var endsStream: @Sendable (StreamEvent) -> Bool

    /// - Parameters:
    ///   - read: reads one page; it runs on the cooperative pool, so it must use `Database.read`.
    ///   - endsStream: `false` for every event by default: such a stream ends only when its client leaves.
    public init(
        read: @escaping @Sendable (_ key: String, _ after: Int64, _ limit: Int) async throws -> StreamPage,
        endsStream: @escaping @Sendable (StreamEvent) -> Bool = { _ in false }
    ) {
        self.read = read
        self.endsStream = endsStream
    }
}
