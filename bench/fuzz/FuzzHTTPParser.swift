// libFuzzer entry for the HTTP module (compiled together with Sources/HTTP by bench/fuzz/run.sh, outside SwiftPM).
//
// Each input is parsed twice: fed whole, and fed in slices whose size comes from the first byte. Both must give
// the same events and the same error (the parser is incremental, so how bytes arrive must never change the
// outcome). Every request that comes out is also turned into an `HTTPRequest` (percent-decoding, query), routed,
// and every error rendered as its problem response, so those paths are fuzzed too. Any trap, sanitizer report,
// mismatch (fatalError), hang or runaway allocation is a finding.

enum Outcome: Equatable {
    case events([HTTPRequestParser.Event])
    case failed([HTTPRequestParser.Event], HTTPParserError)
}

let router: Router<Int> = {
    var router = Router<Int>()
    for (index, pattern) in ["/v1/products", "/v1/products/{id}", "/v1/live-sessions/{id}/pins/{pin_id}", "/web/{file}", "/"].enumerated() {
        router.add(.GET, pattern, index)
        router.add(.POST, pattern, index)
    }
    return router
}()

func parse(_ data: [UInt8], slice: Int, limits: HTTPLimits) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var events: [HTTPRequestParser.Event] = []
    var offset = 0
    var pendingHead: HTTPRequestHead?
    repeat {
        let end = min(data.count, offset + slice)
        parser.feed(data[offset..<end])
        offset = end
        // Bounded: every event consumes bytes, so a loop can produce at most one event per byte plus one.
        for _ in 0...(data.count + 1) {
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next()
            } catch {
                _ = error.response.status
                return .failed(events, error)
            }
            guard let event else { break }
            events.append(event)
            switch event {
            case let .head(head):
                pendingHead = head
                _ = head.keepAlive
                _ = head.hasBody
            case let .end(body):
                if let head = pendingHead {
                    let request = HTTPRequest(head: head, body: body, requestID: "fuzz", remoteAddress: "127.0.0.1")
                    _ = router.match(request.method, request.path)
                    _ = request.query["q"]
                }
                pendingHead = nil
            }
        }
    } while offset < data.count
    return .events(events)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    let control = bytes[0]
    let data = Array(bytes.dropFirst())
    // Small limits half of the time, so that the 414/431/413 paths are reached with small inputs.
    let limits = control & 0x80 == 0
        ? HTTPLimits()
        : HTTPLimits(requestLineBytes: 64, headerBytes: 256, headerCount: 8, bodyBytes: 128)
    let whole = parse(data, slice: max(1, data.count), limits: limits)
    let sliced = parse(data, slice: Int(control & 0x0F) + 1, limits: limits)
    if whole != sliced {
        fatalError("split-dependent parse: whole \(whole) vs slices of \(Int(control & 0x0F) + 1): \(sliced)")
    }
    return 0
}
