import Core
import Foundation
import Storage
import Testing

/// A burst on a room is coalesced (issue 23): after a delivery the next waits out a window, so every event that
/// committed meanwhile reaches each stream in one write — in order, none dropped, none repeated.
@Suite("Stream hub: coalescing a burst")
struct StreamCoalescingTests {
    /// A pause the test releases by hand; each request is announced on `requests` once it waits.
    final class ManualPause: Sendable {
        let requests: AsyncStream<Duration>
        private let announce: AsyncStream<Duration>.Continuation
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])

        init() { (requests, announce) = AsyncStream.makeStream(of: Duration.self) }

        @Sendable func pause(_ duration: Duration) async {
            await withCheckedContinuation { continuation in
                waiting.withLock { $0.append(continuation) }
                announce.yield(duration)
            }
        }

        func release() {
            for continuation in waiting.withLock({ waiting in
                defer { waiting = [] }
                return waiting
            }) { continuation.resume() }
        }
    }

    /// Keeps each write apart, to count them.
    final class WriteLog: EventSink {
        private let writes = Mutex<[[Int64]]>([])

        func send(_ bytes: [UInt8]) -> Bool {
            let ids = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("id: ") }.compactMap { Int64($0.dropFirst(4)) }
            writes.withLock { $0.append(ids) }
            return true
        }

        func close() {}

        var ids: [[Int64]] { writes.withLock { $0 } }

        func wait(for last: Int64) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while ids.last?.last != last, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(ids.last?.last == last, "got \(ids)")
        }
    }

    @Test("the window: 10 µs per stream, at most 100 ms")
    func window() {
        let coalescing = StreamHub.Coalescing()
        #expect(coalescing.window(streams: 1) == .microseconds(10))
        #expect(coalescing.window(streams: 1_000) == .milliseconds(10))
        #expect(coalescing.window(streams: 10_000) == .milliseconds(100))
        #expect(coalescing.window(streams: 50_000) == .milliseconds(100))
    }

    // Without coalescing no pause is ever asked for: the time limit turns that wait into a failure.
    @Test(
        "the first event goes out at once; the burst after it waits out the window and goes out in one write",
        .timeLimit(.minutes(1))
    )
    func burstInOneWrite() async throws {
        let log = MemoryLog()
        let manual = ManualPause()
        let hub = StreamHub(
            source: log.source, coalescing: StreamHub.Coalescing(perStream: .seconds(30), maximum: .seconds(60), pause: manual.pause)
        )
        let sink = WriteLog()
        let detach = hub.attach(sink, key: "room", after: 0, newestID: 0)
        var requests = manual.requests.makeAsyncIterator()

        log.append("room", "bid", "{\"n\":1}")
        hub.notify("room")
        try await sink.wait(for: 1)
        #expect(sink.ids == [[1]], "a first event waits for nothing")

        // The next commit finds the window open: its pump waits, and the commits that follow only join it.
        log.append("room", "bid", "{\"n\":2}")
        hub.notify("room")
        let rest = try #require(await requests.next())
        #expect(rest > .zero && rest <= .seconds(30))
        for n in 3...10 {
            log.append("room", "bid", "{\"n\":\(n)}")
            hub.notify("room")
        }
        #expect(sink.ids == [[1]], "nothing is written while the window runs")
        manual.release()
        try await sink.wait(for: 10)
        #expect(sink.ids == [[1], Array(2...10)], "nine events, one write, in order")

        // The notifications during the pause asked for another read: it waits its window too, then finds nothing.
        _ = await requests.next()
        manual.release()
        detach()
        #expect(sink.ids.flatMap { $0 } == Array(1...10))
    }
}
