import Foundation
@testable import SitegenCore

/// Paths and helpers shared by the tests.
enum Repo {
    /// The repository root, found from this file's location.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()
    static let content = root.appendingPathComponent("content")
    static let templates = root.appendingPathComponent("Templates")
}

/// A scratch folder removed when the value is released.
final class TempDir: @unchecked Sendable {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sitegen-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ relative: String, _ text: String) {
        let target = url.appendingPathComponent(relative)
        try! FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: target)
    }

    func read(_ relative: String) -> String? {
        guard let d = FileManager.default.contents(atPath: url.appendingPathComponent(relative).path) else { return nil }
        return String(decoding: d, as: UTF8.self)
    }
}

/// Every file below `dir` with its bytes, for "left unchanged" checks.
func snapshot(_ dir: URL) -> [String: Data] {
    var out: [String: Data] = [:]
    guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return out }
    for case let f as URL in e {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: f.path, isDirectory: &isDir), !isDir.boolValue {
            out[String(f.path.dropFirst(dir.path.count))] = FileManager.default.contents(atPath: f.path)
        }
    }
    return out
}
