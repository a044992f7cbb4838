// swift-tools-version:6.1
import PackageDescription

// Swift 6 language mode everywhere; ExistentialAny keeps `any` explicit (STYLE.md §5).
let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "basar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "basar", targets: ["basar"]),
    ],
    // The default build links SQLite alone; `swift build --traits PostgreSQL` adds the PostgreSQL engine (libpq).
    traits: [
        .trait(name: "PostgreSQL", description: "Run on PostgreSQL through libpq (apt libpq-dev) as well as on SQLite"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt"),
        .target(name: "Core", dependencies: ["CCrypt"], swiftSettings: settings, linkerSettings: [.linkedLibrary("crypt")]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(
            name: "Storage",
            dependencies: ["CSQLite", "Core", .target(name: "CLibPQ", condition: .when(traits: ["PostgreSQL"]))],
            swiftSettings: settings
        ),
        .target(name: "HTTP", dependencies: ["Core"], swiftSettings: settings),
        // epoll and eventfd are not in Swift's Glibc module; this system-library target exposes their headers.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .target(name: "HTTPServer", dependencies: ["HTTP", "Core", "CLinux"], swiftSettings: settings),
        .target(name: "Accounts", dependencies: ["Core", "Storage"], swiftSettings: settings),
        // Inbox, notification settings, consent records and the one send path (API.md §16).
        .target(name: "Trust", dependencies: ["Core", "Storage", "Accounts"], swiftSettings: settings),
        .target(name: "Catalog", dependencies: ["Core", "Storage", "Accounts"], swiftSettings: settings),
        .target(name: "Coupons", dependencies: ["Core", "Storage", "Accounts", "Catalog"], swiftSettings: settings),
        .target(name: "Payments", dependencies: ["Core", "Storage", "Accounts", "Catalog", "Coupons"], swiftSettings: settings),
        .target(name: "Games", dependencies: ["Core", "Storage", "Accounts", "Coupons"], swiftSettings: settings),
        .target(
            name: "LiveShopping",
            dependencies: ["Core", "Storage", "Accounts", "Catalog", "Coupons", "Payments"],
            swiftSettings: settings
        ),
        // Follows (and later communities and red packets, API.md §20).
        .target(name: "Social", dependencies: ["Core", "Storage", "Accounts", "Payments", "LiveShopping"], swiftSettings: settings),
        // The signal engine (API.md §17): rules from Content/signals over the event log.
        .target(name: "Signals", dependencies: ["Core", "Storage", "Trust", "Social"], swiftSettings: settings),
        // Service conversations with agents, SLAs and goodwill (API.md §18).
        .target(name: "Support", dependencies: ["Core", "Storage", "Accounts", "Coupons", "Payments", "Trust"], swiftSettings: settings),
        // Surveys, feedback cases and the report (API.md §19).
        .target(name: "Feedback", dependencies: ["Core", "Storage", "Accounts", "Payments", "Trust", "Support"], swiftSettings: settings),
        // Experiments, recommendations and the attribution trail (API.md §21).
        .target(name: "Insights", dependencies: ["Core", "Storage", "Accounts", "Catalog", "Payments", "Trust"], swiftSettings: settings),
        // Team buys on escrow, share links and referrals (API.md §20).
        .target(
            name: "Teams",
            dependencies: ["Core", "Storage", "Accounts", "Catalog", "Payments", "LiveShopping", "Trust"],
            swiftSettings: settings
        ),
        // Data export and erasure: the one place that knows every module's share of an account (API.md §16).
        .target(
            name: "Privacy",
            dependencies: [
                "Core", "Storage", "Accounts", "Coupons", "Payments", "Games", "LiveShopping", "Trust", "Social", "Support",
                "Feedback", "Teams", "Insights",
            ],
            swiftSettings: settings
        ),
        .target(
            name: "API",
            dependencies: ["Core", "Storage", "HTTP", "Accounts", "Catalog", "Coupons", "Payments", "Games", "LiveShopping", "Trust", "Privacy", "Social", "Teams", "Signals", "Support", "Feedback", "Insights"],
            swiftSettings: settings
        ),
        .target(
            name: "App",
            dependencies: ["Core", "Storage", "HTTP", "HTTPServer", "API", "Accounts", "Catalog", "Coupons", "Payments", "Games", "LiveShopping", "Trust", "Privacy", "Social", "Teams", "Signals", "Support", "Feedback", "Insights"],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "basar",
            dependencies: [
                "App", "API", "Core", "Storage", "Accounts", "Coupons", "Games", "Payments", "Privacy", "Feedback", "Social",
                "Teams", "Catalog",
            ],
            swiftSettings: settings
        ),
        .target(name: "TestSupport", dependencies: ["Core", "HTTP", "App", "API", "Accounts", "Storage", "CLinux"], swiftSettings: settings),
        .testTarget(name: "CoreTests", dependencies: ["Core"], swiftSettings: settings),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Core"], swiftSettings: settings),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "HTTPServer", "Core"], swiftSettings: settings),
        .testTarget(name: "AccountsTests", dependencies: ["TestSupport", "App", "API", "Accounts", "Core", "Storage", "basar"], swiftSettings: settings),
        .testTarget(name: "CatalogTests", dependencies: ["TestSupport", "App", "API", "Catalog", "Payments", "Core", "Storage"], swiftSettings: settings),
        .testTarget(name: "PaymentsTests", dependencies: ["TestSupport", "App", "API", "Payments", "Catalog", "Core", "Storage", "Accounts"], swiftSettings: settings),
        .testTarget(name: "CouponsTests", dependencies: ["TestSupport", "App", "API", "Coupons", "Core", "Storage", "Accounts", "basar"], swiftSettings: settings),
        .testTarget(name: "GamesTests", dependencies: ["TestSupport", "App", "API", "Games", "Coupons", "Core", "Storage"], swiftSettings: settings),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["TestSupport", "App", "API", "Core", "Storage", "Accounts", "HTTP", "basar"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "TrustTests",
            dependencies: [
                "TestSupport", "App", "API", "Trust", "Privacy", "Signals", "Social", "Support", "Feedback", "Core", "Storage",
                "Accounts", "Payments", "basar",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "InsightsTests",
            dependencies: ["TestSupport", "App", "API", "Insights", "Core", "Storage", "Accounts", "Catalog", "Payments", "Trust"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "TeamsTests",
            dependencies: ["TestSupport", "App", "API", "Teams", "Payments", "Core", "Storage", "Accounts"],
            swiftSettings: settings
        ),
        .testTarget(name: "LiveShoppingTests", dependencies: ["TestSupport", "App", "API", "LiveShopping", "Core", "Storage", "HTTP"], swiftSettings: settings),
    ]
)
