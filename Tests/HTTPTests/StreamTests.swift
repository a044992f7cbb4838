import Core
import Foundation
import HTTP
import Testing
@testable import HTTPServer

/// Collects the writers that stream handlers receive, so tests can drive them.
final class WriterBox: Sendable {
    private let writers = Mutex<[String: any EventStreamWriter]>([:])
    private let arrived = Mutex<[String: Signal]>([:])

    func signal(_ name: String) -> Signal {
        arrived.withLock { table in
            if let signal = table[name] { return signal }
            let signal = Signal()
            table[name] = signal
            return signal
        }
    }

    func put(_ name: String, _ writer: any EventStreamWriter) {
        writers.withLock { $0[name] = writer }
        signal(name).fire()
    }

    func writer(_ name: String) async -> any EventStreamWriter {
        await signal(name).wait()
        return writers.withLock { $0[name]! }
    }
}

@Suite("Event stream responses", .serialized)
struct StreamTests {
    static func streamHandler(_ box: WriterBox) -> @Sendable (HTTPRequest) async -> HTTPResponse {
        { request in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
                box.put(request.path, writer)
            })
        }
    }

    @Test("chunks arrive, close ends the stream, onClose runs once")
    func chunksArrive() async throws {
        let box = WriterBox()
        let closed = Signal()
        let closeCount = Mutex(0)
        try await withServer(handler: Self.streamHandler(box)) { server in
            let port = server.port
            async let received = blocking { () throws -> (Int, String?, [String]) in
                let client = try TestClient(port: port)
                try client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
                let (status, headers) = try client.readHead()
                var chunks: [String] = []
                while let chunk = try client.readChunk() { chunks.append(String(decoding: chunk, as: UTF8.self)) }
                return (status, headers["Transfer-Encoding"], chunks)
            }
            let writer = await box.writer("/a")
            writer.onClose {
                closeCount.withLock { $0 += 1 }
                closed.fire()
            }
            #expect(server.openStreams == 1)
            #expect(writer.write(Array("data: 1\n\n".utf8)) == .accepted)
            #expect(writer.write(Array("data: 2\n\n".utf8)) == .accepted)
            writer.close()
            #expect(writer.write(Array("late".utf8)) == .closed)
            let (status, encoding, chunks) = try await received
            #expect(status == 200)
            #expect(encoding == "chunked")
            #expect(chunks.joined() == "data: 1\n\ndata: 2\n\n")
            await closed.wait()
            #expect(closeCount.withLock { $0 } == 1)
            #expect(writer.isClosed)
        }
    }

    @Test("onClose runs when the client disconnects")
    func clientDisconnects() async throws {
        let box = WriterBox()
        let closed = Signal()
        try await withServer(handler: Self.streamHandler(box)) { server in
            let port = server.port
            let connected = Signal()
            let hangUp = Signal()
            async let done: Void = blocking {
                let client = try TestClient(port: port)
                try client.send("GET /gone HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try client.readHead()
                connected.fire()
                _ = hangUp.waitBlocking()
            }  // the client closes here
            let writer = await box.writer("/gone")
            writer.onClose { closed.fire() }
            await connected.wait()
            hangUp.fire()
            try await done
            await closed.wait()
            #expect(writer.write([1]) == .closed)
            #expect(server.openStreams == 0)
        }
    }

    @Test("a reader that never reads overflows and is closed while another stream keeps receiving")
    func slowReaderOverflows() async throws {
        let box = WriterBox()
        let slowClosed = Signal()
        try await withServer({ $0.streamBufferLimit = 32 * 1024 }, handler: Self.streamHandler(box)) { server in
            let port = server.port
            let slowConnected = Signal()
            let finish = Signal()
            async let slowDone: Void = blocking {
                let client = try TestClient(port: port, receiveBuffer: 4096)
                try client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
                slowConnected.fire()
                _ = finish.waitBlocking(seconds: 20)  // never reads
            }
            async let fastChunks = blocking { () throws -> Int in
                let client = try TestClient(port: port)
                try client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try client.readHead()
                var count = 0
                while let chunk = try client.readChunk() {
                    if chunk == Array("end".utf8) { break }
                    count += 1
                }
                return count
            }
            await slowConnected.wait()
            let slow = await box.writer("/slow")
            let fast = await box.writer("/fast")
            slow.onClose { slowClosed.fire() }
            let event = [UInt8](repeating: 0x61, count: 1024)
            var result = StreamWriteResult.accepted
            var writes = 0
            // Bounded: the kernel buffers a few MiB at most before the 32 KiB limit is reached.
            while result == .accepted, writes < 100_000 {
                result = slow.write(event)
                writes += 1
                if writes % 100 == 0 { #expect(fast.write(Array("tick".utf8)) == .accepted) }
            }
            #expect(result == .overflowed)
            await slowClosed.wait()
            #expect(fast.write(Array("end".utf8)) == .accepted)
            let received = try await fastChunks
            #expect(received == writes / 100)
            finish.fire()
            try await slowDone
        }
    }

    @Test("shutdown closes event streams and runs their onClose")
    func shutdownClosesStreams() async throws {
        let box = WriterBox()
        let closed = Signal()
        var configuration = ServerConfiguration(port: 0)
        configuration.eventLoops = 1
        let server = HTTPServer(configuration: configuration, logger: .silent, handler: Self.streamHandler(box))
        try server.start()
        let port = server.port
        async let bytes = blocking { () throws -> Int in
            let client = try TestClient(port: port)
            try client.send("GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
            return try client.readUntilClosed().count
        }
        let writer = await box.writer("/s")
        writer.onClose { closed.fire() }
        await server.shutdown()
        await closed.wait()
        #expect(try await bytes > 0)
        #expect(server.openStreams == 0)
    }

    @Test(
        "chunk framing matches the size in hex, and chunkSize counts it",
        arguments: [0, 1, 15, 16, 255, 256, 4095, 4096, 65_536]
    )
    func chunkFraming(size: Int) {
        var out: [UInt8] = [7]
        let payload = [UInt8](repeating: 0x61, count: size)
        ResponseWriter.appendChunk(payload, to: &out)
        let expected = [7] + Array("\(String(size, radix: 16))\r\n".utf8) + payload + Array("\r\n".utf8)
        #expect(out == expected)
        #expect(out.count - 1 == ResponseWriter.chunkSize(size))
    }

    @Test("a payload shared by many streams arrives whole and in order on each; one that overflows closes alone")
    func sharedPayloadsFanOut() async throws {
        let box = WriterBox()
        let slowClosed = Signal()
        let streams = 24
        // Sizes that cross hex-digit boundaries, and one larger than the most a socket buffers (tcp_wmem's 4 MiB
        // maximum) over three rounds, so for a late reader the socket takes part of the payloads and the rest waits in
        // the connection's own buffer while later payloads queue behind it.
        let payloads = (0..<3).flatMap { round in
            [1, 15, 16, 255, 256, 4095, 4096, 3_000_000].map { size in
                [UInt8](repeating: UInt8(0x41 + (round * 8 + size) % 26), count: size)
            }
        }
        let end = Array("end".utf8)
        try await withServer({ $0.streamBufferLimit = 16 << 20 }, handler: Self.streamHandler(box)) { server in
            let port = server.port
            let slowConnected = Signal()
            let finish = Signal()
            let written = Signal()
            async let slowDone: Void = blocking {
                let client = try TestClient(port: port, receiveBuffer: 4096)
                try client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
                slowConnected.fire()
                _ = finish.waitBlocking(seconds: 20)  // never reads
            }
            let readers = (0..<streams).map { index -> Task<[[UInt8]], any Error> in
                let late = index.isMultiple(of: 2)
                return Task {
                    try await blocking { () throws -> [[UInt8]] in
                        let client = try TestClient(port: port, receiveBuffer: late ? 4096 : nil)
                        try client.send("GET /s\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                        _ = try client.readHead()
                        // Half start reading only after every payload was queued: the socket then takes part of a
                        // payload and the rest, and the payloads after it, wait in the connection's buffer.
                        if late { _ = written.waitBlocking(seconds: 20) }
                        var chunks: [[UInt8]] = []
                        // Bounded by the payload count; each read by the client's receive timeout.
                        while chunks.count <= payloads.count, let chunk = try client.readChunk(), chunk != end {
                            chunks.append(chunk)
                        }
                        return chunks
                    }
                }
            }
            await slowConnected.wait()
            let slow = await box.writer("/slow")
            slow.onClose { slowClosed.fire() }
            var writers: [any EventStreamWriter] = []
            for index in 0..<streams { writers.append(await box.writer("/s\(index)")) }
            writers.append(slow)
            for payload in payloads {
                for writer in writers { #expect(writer.write(payload) == .accepted) }
            }
            written.fire()
            // The others stay under the 16 MiB bound; the reader that never reads passes it.
            var result = StreamWriteResult.accepted
            for _ in 0..<100 where result == .accepted { result = slow.write(payloads.last!) }
            #expect(result == .overflowed)
            await slowClosed.wait()
            for writer in writers.dropLast() { #expect(writer.write(end) == .accepted) }
            for reader in readers { #expect(try await reader.value == payloads) }
            finish.fire()
            try await slowDone
        }
    }
}
