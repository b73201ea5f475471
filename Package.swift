// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sitegen",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sitegen", targets: ["sitegen"]),
        .library(name: "SitegenCore", targets: ["SitegenCore"]),
        .library(name: "SitegenServe", targets: ["SitegenServe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // HTTP for `sitegen serve` only (no dependencies of its own; SitegenCore does not link it).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        // Property-based tests of the date engine (test target only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // cmark-gfm from Debian's libcmark-gfm-dev / libcmark-gfm-extensions-dev.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // zlib (Debian's zlib1g-dev, which the Swift toolchain needs anyway): Pagefind's index files
        // are gzip-compressed CBOR, and two of them are rewritten in a fixed order (Render/Pagefind.swift).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "SitegenCore",
            dependencies: [
                "CCmarkGFM",
                "CZlib",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // `sitegen serve`: preview server, file watcher, live reload.
        .target(
            name: "SitegenServe",
            dependencies: [
                "SitegenCore",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "sitegen",
            dependencies: [
                "SitegenCore",
                "SitegenServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets for the date engine and the article loader; `scripts/fuzz` builds it
        // with -sanitize=fuzzer, a plain build replays inputs (see its main.swift).
        .executableTarget(
            name: "SitegenFuzz",
            dependencies: ["SitegenCore"]
        ),
        .testTarget(
            name: "SitegenCoreTests",
            dependencies: [
                "SitegenCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
                // The reference the fast template renderer is compared with.
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Read from the source tree by path (Repo.root), not bundled.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SitegenServeTests",
            dependencies: ["SitegenServe", "SitegenCore"]
        ),
    ]
)
