import Core

/// The data of the events this process appended or parsed lately, with the JSON text it came from, so a consumer that
/// reads an event a moment after its commit need not parse it again (parsing was a ninth of a paid checkout's
/// instructions, `bench/RESULTS.md`), and the consumers that take the same event (`order.paid` goes to four) share one
/// parse.
///
/// An entry counts only for a row whose stored text is the text it was made from: an id that a rolled-back append
/// held and a later one took (a group-commit batch rolled back and run again puts other events under the same ids;
/// a stale entry made the recommendations consumer miss a refund's units under kill -9, CrashSafetyTests), an event
/// rewritten by erasure, or another database of this process with the same ids all miss and are parsed. Parsing the
/// writer's output gives back the value written (objects keep their order, numbers their kind); the one exception, a
/// non-finite double, is written as `null` and never cached.
///
/// Bounded: one slot per id modulo ``capacity``, the newest entry winning. 1,024 slots hold the events of 0.4 s of
/// paid checkouts at the measured peak (2,460/s), while the dispatcher is woken by every commit, in a few MB (an
/// order's data is some KB of parsed values); a miss costs only the parse.
final class EventDataCache: Sendable {
    static let shared = EventDataCache(capacity: 1024)

    private struct Slot {
        var id: Int64
        var text: String
        var data: JSON
    }

    let capacity: Int
    private let slots: Mutex<[Slot?]>

    init(capacity: Int) {
        self.capacity = capacity
        slots = Mutex(Array(repeating: nil, count: capacity))
    }

    /// Keeps `data`, serialized as `text`, for the event `id`.
    func keep(_ id: Int64, text: String, data: JSON) {
        guard data.isFinite else { return }
        let index = Int(UInt64(bitPattern: id) % UInt64(capacity))
        slots.withLock { $0[index] = Slot(id: id, text: text, data: data) }
    }

    /// The data of event `id` if it was kept from exactly `text`.
    func data(of id: Int64, text: String) -> JSON? {
        let index = Int(UInt64(bitPattern: id) % UInt64(capacity))
        guard let slot = slots.withLock({ $0[index] }), slot.id == id, slot.text == text else { return nil }
        return slot.data
    }
}

private extension JSON {
    /// Whether parsing this value's serialization gives it back: only a NaN or an infinity does not.
    var isFinite: Bool {
        switch self {
        case .null, .bool, .int, .string: true
        case let .double(value): value.isFinite
        case let .array(items): items.allSatisfy(\.isFinite)
        case let .object(members): members.allSatisfy { $0.1.isFinite }
        }
    }
}
