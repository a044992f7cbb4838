#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `Content/` folders for tests that need other rules or games beside everything else the repository ships.
public enum TestContent {
    /// A temporary copy of the repository's `Content/` in which `folder` (`signals`, `games`) holds only `files`
    /// (name → JSON text); the other entries are symbolic links to the repository's. Remove it with ``remove(_:)``.
    public static func replacing(_ folder: String, with files: [String: String]) throws -> URL {
        let manager = FileManager.default
        let source = TestServer.repositoryRoot.appendingPathComponent("Content")
        let root = manager.temporaryDirectory.appendingPathComponent("basar-content-\(UUID().uuidString)")
        try manager.createDirectory(at: root, withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: source.path) where name != folder {
            try manager.createSymbolicLink(at: root.appendingPathComponent(name), withDestinationURL: source.appendingPathComponent(name))
        }
        let replaced = root.appendingPathComponent(folder)
        try manager.createDirectory(at: replaced, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: replaced.appendingPathComponent(name)) }
        return root
    }

    /// Removes a folder made by ``replacing(_:with:)``: the links are unlinked first, so nothing they point to can
    /// ever be removed with them.
    public static func remove(_ root: URL) {
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: root.path)) ?? [] {
            let path = root.appendingPathComponent(name).path
            if (try? manager.destinationOfSymbolicLink(atPath: path)) != nil { _ = unlink(path) }
        }
        try? manager.removeItem(at: root)
    }
}
