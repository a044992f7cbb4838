import Core
import Foundation
import HTTP

/// Serves the demo web client from `Content/web/`: `GET /` is the page, `GET /docs` the API reference rendered from
/// `GET /openapi.json`, `GET /web/{file}` their assets.
///
/// The files are read once at start-up into memory and looked up by exact name, so a request can never reach
/// anything outside that one folder (no `..`, no sub-folders, no symlinks followed at request time).
enum WebRoutes {
    /// One file held in memory with the headers it is served with.
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
    }

    /// The strict policy of the page: everything from this origin only, no inline script or style, no framing.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: https:",
        "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
    ].joined(separator: "; ")

    /// Content types by file extension; a file with any other extension is not served.
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "json": "application/json; charset=utf-8",
        "webmanifest": "application/manifest+json; charset=utf-8", "txt": "text/plain; charset=utf-8",
        "ico": "image/x-icon",
    ]

    static func routes(_ s: Services) -> [Route] {
        let assets = load(from: s.contentDirectory.appendingPathComponent("web"))
        return [
            Route(.GET, "/", .everyone) { _ in try page("index.html", in: assets) },
            Route(.GET, "/docs", .everyone) { _ in try page("docs.html", in: assets) },
            Route(.GET, "/web/{file}", .everyone) { req in
                let name = req.parameter("file")
                guard isSafeName(name), let asset = assets[name] else { throw Failure.notFound("The file") }
                // A short lifetime instead of validators: the server answers no 304s, and the files are small.
                return response(asset, cacheControl: "public, max-age=300")
            },
        ]
    }

    /// A page (not an asset): revalidated every time so that a new release is picked up at once.
    /// - Throws: `404` when the file is missing from `Content/web/`.
    static func page(_ name: String, in assets: [String: Asset]) throws -> HTTPResponse {
        guard let page = assets[name] else { throw Failure.notFound("The web page") }
        return response(page, cacheControl: "no-cache")
    }

    /// Whether `name` may name a web file: `[A-Za-z0-9._-]+`, not starting with a dot (no `..`, no hidden files).
    static func isSafeName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 128, name.first != "." else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }

    /// Reads every regular file of `folder` whose name is safe and whose extension has a content type.
    /// - Parameter folder: the `web` folder; a missing folder gives an empty set (the API still works).
    /// - Returns: the files by name.
    static func load(from folder: URL) -> [String: Asset] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var assets: [String: Asset] = [:]
        for name in names where isSafeName(name) {
            let ext = name.split(separator: ".").last.map { String($0).lowercased() } ?? ""
            guard let type = contentTypes[ext] else { continue }
            let url = folder.appendingPathComponent(name)
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey])
            guard values?.isRegularFile == true, let data = try? Data(contentsOf: url) else { continue }
            assets[name] = Asset(bytes: [UInt8](data), contentType: type)
        }
        return assets
    }

    static func response(_ asset: Asset, cacheControl: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("Content-Type", asset.contentType)
        headers.set("Cache-Control", cacheControl)
        headers.set("Content-Security-Policy", contentSecurityPolicy)
        headers.set("X-Frame-Options", "DENY")
        headers.set("Referrer-Policy", "no-referrer")
        headers.set("Cross-Origin-Opener-Policy", "same-origin")
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return HTTPResponse(status: 200, headers: headers, body: asset.bytes)
    }
}
