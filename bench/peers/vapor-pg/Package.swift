// swift-tools-version:6.0
// The Swift ecosystem's usual answer for bench/ (issue 25): Vapor 4 + Fluent on PostgreSQL (PostgresNIO), serving
// product by id and the checkout transaction on the same database and schema that Basar created.
// Built only by hand or by bench scripts with its own scratch path (.build-peer); never a dependency of Basar.
import PackageDescription

let package = Package(
    name: "vapor-pg-peer",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.14.0"),
    ],
    targets: [
        .executableTarget(
            name: "VaporPGPeer",
            dependencies: [
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ]
        ),
    ]
)
