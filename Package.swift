// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Teamlog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "teamlog", targets: ["TeamlogCLI"]),
        .executable(name: "teamlog-bench", targets: ["TeamlogBench"]),
        .executable(name: "teamlog-testkit", targets: ["TeamlogTestKit"]),
        .library(name: "EventLog", targets: ["EventLog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // The HTTP server (`teamlog serve`). Hummingbird's default traits (swift-configuration, full
        // Foundation) are not used: without them a clean build compiles less.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // The mail delivery's SMTP client (STARTTLS through swift-nio-ssl).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // The PostgreSQL mirror's client (`teamlog pg`, `teamlog serve --postgres`).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The code that follows from the catalogues' schemas (event types, command payloads, the
        // commands' forms), generated at build time: a generator run by a build tool plugin.
        .executableTarget(name: "CatalogueCodeGenerator", path: "Tools/CatalogueCodeGenerator"),
        .plugin(
            name: "CatalogueCode",
            capability: .buildTool(),
            dependencies: ["CatalogueCodeGenerator"],
            path: "Tools/CatalogueCodePlugin"
        ),

        // C libraries
        .systemLibrary(
            name: "CLZ4",
            path: "Sources/CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        // The log's checksums and hash: CRC-32C, XXH32 (LZ4 frames), MurmurHash3 (the disk hash table).
        .target(name: "CChecksums", path: "Sources/CChecksums"),
        // What Swift's Glibc does not import for the file helpers (sync_file_range).
        .target(name: "CFileSupport", path: "Sources/CFileSupport"),
        // Shims over SQLite for the read models (users' SQL restricted, memory statistics off), compiled
        // against sqlite3.h; links the system SQLite, the library GRDB links too (GRDBSQLite: libsqlite3).
        .target(
            name: "CSQLiteSupport",
            path: "Sources/CSQLiteSupport",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),

        // The stores' file helpers (POSIX calls whose failures keep the path and the errno), and the
        // room left on a file system.
        .target(name: "PosixFiles", dependencies: ["CFileSupport"], path: "Sources/PosixFiles"),

        // The log: LZ4-framed, checksummed, append-only. Knows nothing of the marketplace.
        .target(
            name: "EventLog",
            dependencies: [
                "CLZ4",
                "CChecksums",
                "PosixFiles",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/EventLog",
            // The log's hot loops touch only their own state: skip dynamic exclusivity checks there.
            // Side by side (release, 10 runs each in turn, whole-process CPU min/median/max), reading
            // 1M events serially, `teamlog-bench log-phase --system teamlog --phase read-serial
            // --events 1000000 --dir D` after the same with `--phase append`: with the flag
            // 0.715/0.732/0.751 s, without 0.798/0.816/0.820 s (ratio 0.905, 0.874-0.918); under
            // `valgrind --tool=callgrind`, 300k events: 1.508e9 instructions with, 1.667e9 without
            // (-9.5%). The append phase (300k events: 2.79 s vs 2.74 s) and the parallel read (0.26
            // vs 0.27 s) do not move.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // The event catalogue: types, versions, upcasters. Knows nothing of storage. The types follow
        // from Events/catalogue.json (the CatalogueCode plugin writes them at build time).
        .target(name: "Events", path: "Events", exclude: ["catalogue.json"], plugins: ["CatalogueCode"]),
        // Commands -> decide(state) -> events. The only module that appends.
        .target(
            name: "Marketplace",
            dependencies: ["EventLog", "Events", "PosixFiles", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Marketplace",
            // The command payloads and `Command` follow from Commands/commands.json (CatalogueCode).
            exclude: ["Commands/commands.json"],
            plugins: ["CatalogueCode"]
        ),
        // Read models and their runner. Reads events, writes SQLite, never appends.
        .target(
            name: "Projections",
            dependencies: [
                "EventLog", "Events", "CSQLiteSupport", "PosixFiles",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Projections"
        ),
        // Realistic marketplace history, deterministic from a seed (used by bench, demo and tests).
        .target(
            name: "Workload",
            dependencies: ["EventLog", "Events", "Marketplace"],
            path: "Sources/Workload"
        ),
        // Who the caller is and what they may do: API keys (the key file, the key ring) and the access
        // policy over commands and reads. Knows nothing of HTTP; the server and `teamlog keys` use it.
        .target(
            name: "Access",
            dependencies: ["Events", "Marketplace", "PosixFiles", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Access"
        ),
        // What every front end shares (the CLI now, a server next): command forms (JSON <-> command, the
        // commands' declarations), the query catalogue, result and error rendering, outcomes -> exit codes.
        .target(
            name: "Application",
            dependencies: ["Access", "EventLog", "Events", "Marketplace", "PosixFiles", "Projections",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Application",
            // The commands' forms follow from Marketplace's Commands/commands.json (CatalogueCode).
            plugins: ["CatalogueCode"]
        ),
        // The outbox's delivery: invitation emails composed from the `outbox` view, sent over SMTP (an NIO
        // client, STARTTLS optional) or through sendmail, each outcome recorded as an event.
        .target(
            name: "Mail",
            dependencies: [
                "Application", "Marketplace", "PosixFiles", "Projections",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Mail"
        ),
        // The read models and the log mirrored into PostgreSQL: a shadow SQLite copy of each view whose
        // every catch-up step is written to PostgreSQL in the same step (derived data only: the log stays
        // the source of truth), the events table with NOTIFY, fingerprints over PostgreSQL's rows.
        .target(
            name: "PostgresMirror",
            dependencies: [
                "EventLog", "Events", "PosixFiles", "Projections",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/PostgresMirror"
        ),
        // `teamlog serve`: the application layer over HTTP (commands with group commit, views, the audit
        // trail, the live feed, metrics), on Hummingbird.
        .target(
            name: "TeamlogServer",
            dependencies: [
                "Access", "Application", "EventLog", "Events", "Mail", "Marketplace", "PostgresMirror", "Projections",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/Server"
        ),
        .executableTarget(
            name: "TeamlogCLI",
            dependencies: [
                "Access", "Application", "EventLog", "Events", "Mail", "Marketplace", "PosixFiles", "PostgresMirror", "Projections", "TeamlogServer", "Workload",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/TeamlogCLI"
        ),
        .executableTarget(
            name: "TeamlogBench",
            dependencies: [
                "EventLog", "Events", "Marketplace", "Projections", "Workload",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tools/TeamlogBench"
        ),

        // Child processes for crash tests (killed with SIGKILL at random instants by the tests).
        .executableTarget(
            name: "TeamlogTestKit",
            dependencies: ["EventLog", "Events", "Marketplace", "Projections", "Workload",
                           .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tools/TestKit"
        ),

        // What several test targets share (a tmpfs mounted for tests of a full disk).
        .target(name: "TeamlogTestSupport", path: "Tests/Support"),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog"], path: "Tests/EventLogTests"),
        .testTarget(name: "EventsTests", dependencies: ["Events"], path: "Tests/EventsTests"),
        .testTarget(
            name: "MarketplaceTests",
            dependencies: ["Marketplace", "Events", "EventLog", "PosixFiles", "Workload", "TeamlogTestSupport"],
            path: "Tests/MarketplaceTests"
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: ["Projections", "Marketplace", "Events", "EventLog", "PosixFiles", "Workload", "TeamlogTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/ProjectionsTests"
        ),
        .testTarget(
            name: "PostgresMirrorTests",
            dependencies: ["EventLog", "Marketplace", "PostgresMirror", "Projections", "Workload"],
            path: "Tests/PostgresMirrorTests"
        ),
        .testTarget(
            name: "TeamlogCLITests",
            dependencies: ["Access", "Application", "EventLog", "Mail", "Marketplace", "Projections", "TeamlogTestSupport"],
            path: "Tests/TeamlogCLITests",
            // The expected help texts, read by HelpTests from the source tree.
            exclude: ["Fixtures"]
        ),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
