import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps request paths to files of the output folder, and nothing else: no `..`, no dotfiles,
/// no symlink that leads out of the folder, no directory listings.
public struct StaticSite: Sendable {
    public enum Resolution: Equatable, Sendable {
        case file(URL)
        /// A folder asked for without its trailing slash: redirect so relative links work.
        case redirect(String)
        case notFound
        case forbidden
    }

    public let rootURL: URL

    public init(root: URL) {
        rootURL = root.standardizedFileURL
    }

    /// The output folder, symlinks resolved (resolved on each use: it may not exist yet, or be
    /// replaced by a build).
    public var root: String { Self.realPath(rootURL.path) ?? rootURL.path }

    /// `rawPath`: the request target's path, still percent-encoded, without the query.
    public func resolve(rawPath: String) -> Resolution {
        guard rawPath.hasPrefix("/"), let decoded = rawPath.removingPercentEncoding else { return .notFound }
        if decoded.contains("\0") || decoded.contains("\\") { return .forbidden }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        for s in segments {
            if s == "." || s == ".." { return .forbidden }
            if s.hasPrefix(".") { return .notFound }  // .sitegen-output, temp files, .git…
        }
        let root = self.root
        var candidate = root
        for s in segments { candidate += "/" + s }
        guard let real = contained(candidate, root: root) else { return .notFound }
        var st = stat()
        guard stat(real, &st) == 0 else { return .notFound }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            return .file(URL(fileURLWithPath: real))
        case S_IFDIR:
            if !rawPath.hasSuffix("/") { return .redirect(rawPath + "/") }
            guard let index = contained(real + "/index.html", root: root), stat(index, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
                return .notFound  // never a listing
            }
            return .file(URL(fileURLWithPath: index))
        default:
            return .notFound
        }
    }

    /// The real path of `path` if it exists and lies inside the root (after following symlinks).
    func contained(_ path: String, root: String) -> String? {
        guard let real = Self.realPath(path) else { return nil }
        return real == root || real.hasPrefix(root == "/" ? "/" : root + "/") ? real : nil
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    // MARK: content types

    static let types: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "json": "application/json; charset=utf-8", "map": "application/json; charset=utf-8",
        "xml": "application/xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8",
        "atom": "application/atom+xml; charset=utf-8", "svg": "image/svg+xml; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8",
        "ics": "text/calendar; charset=utf-8", "webmanifest": "application/manifest+json; charset=utf-8",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "avif": "image/avif", "ico": "image/x-icon", "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf",
        "otf": "font/otf", "pdf": "application/pdf", "wasm": "application/wasm", "zip": "application/zip",
        "gz": "application/gzip",
    ]

    public static func contentType(forPath path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        return types[ext] ?? "application/octet-stream"
    }

    // MARK: live-reload injection

    /// `html` with `tag` inserted before the last `</body>` (or appended when there is none).
    public static func inject(_ tag: String, into html: [UInt8]) -> [UInt8] {
        let needle = Array("</body".utf8)
        var i = html.count - needle.count
        while i >= 0 {
            var match = true
            for k in 0..<needle.count {
                var b = html[i + k]
                if b >= 65 && b <= 90 { b += 32 }
                if b != needle[k] { match = false; break }
            }
            if match { return Array(html[..<i]) + Array(tag.utf8) + Array(html[i...]) }
            i -= 1
        }
        return html + Array(tag.utf8)
    }
}
