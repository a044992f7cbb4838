// swift-tools-version:6.0
// The reference peer for Basar's benchmarks: the same bench endpoints served by Hummingbird 2.
// Built only by bench/*.sh with its own scratch path; never a dependency of Basar.
import PackageDescription

let package = Package(
    name: "hummingbird-peer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdPeer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
    ]
)
