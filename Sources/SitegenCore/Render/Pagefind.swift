import Foundation

/// The search index, made by Pagefind (PyPI `pagefind-bin-extended`: its `pagefind_extended`
/// binary segments Chinese). Pagefind writes a chunked index: the browser downloads only the
/// index chunks and result fragments a query needs (figures in docs/SEARCH.md).
///
/// The binary runs in its service mode, the protocol of the official Python and Node APIs:
/// each message is a JSON object, base64-encoded and ended by ",", on stdin; replies come the
/// same way on stdout. The records are made by the renderer (`SearchRecords`, a pure function of
/// the graph); this type only turns them into files, which the render emits like any other.
enum Pagefind {
    /// A record: one search result (an event, an entity or an article).
    struct Record: Encodable, Equatable {
        var url: String
        var content: String
        var language: String
        var meta: [String: String]
        var filters: [String: [String]]
        var sort: [String: String]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Where the binary is: `SITEGEN_PAGEFIND` (a path, or `off` to build without search), then
    /// `PAGEFIND_BINARY_PATH` (the Python API's variable), then `pagefind_extended` or `pagefind` on
    /// PATH, then the one inside the installed PyPI package (asked of python3, as its API does).
    static func executable(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = env["SITEGEN_PAGEFIND"], !p.isEmpty { return p == "off" ? nil : p }
        if let p = env["PAGEFIND_BINARY_PATH"], !p.isEmpty { return p }
        let fm = FileManager.default
        for dir in (env["PATH"] ?? "/usr/local/bin:/usr/bin").split(separator: ":") {
            for name in ["pagefind_extended", "pagefind"] where fm.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return cachedPackageBinary
    }

    nonisolated(unsafe) static let cachedPackageBinary: String? = {
        let script = "import pagefind_bin_extended as p; print(p.get_executable())"
        guard let out = try? run(["/usr/bin/env", "python3", "-c", script]), !out.isEmpty else { return nil }
        let path = out.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    private static func run(_ argv: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : ""
    }

    private struct Message<P: Encodable>: Encodable {
        var message_id: Int
        var payload: P
    }

    private struct NewIndex: Encodable {
        var type = "NewIndex"
        var config: [String: String]
    }

    private struct AddRecord: Encodable {
        var type = "AddRecord"
        var index_id: Int
        var record: Record

        func encode(to encoder: Encoder) throws {
            enum K: String, CodingKey { case type, index_id, url, content, language, meta, filters, sort }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(type, forKey: .type)
            try c.encode(index_id, forKey: .index_id)
            try c.encode(record.url, forKey: .url)
            try c.encode(record.content, forKey: .content)
            try c.encode(record.language, forKey: .language)
            try c.encode(record.meta, forKey: .meta)
            try c.encode(record.filters, forKey: .filters)
            try c.encode(record.sort, forKey: .sort)
        }
    }

    private struct IndexRequest: Encodable {
        var type: String
        var index_id: Int
    }

    /// Indexes `records` (in this order, so the output is the same for the same records) and
    /// returns Pagefind's files, paths relative to its bundle folder. Only the files the site's
    /// own search script uses are kept (not Pagefind's stock UI).
    static func index(_ records: [Record], binary: String) throws -> [(path: String, bytes: [UInt8])] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--service"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { throw Failure(description: "cannot start \(binary): \(error)") }
        defer {
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
        }
        let h = input.fileHandleForWriting
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        @Sendable func send<P: Encodable>(_ id: Int, _ payload: P) {
            guard let json = try? enc.encode(Message(message_id: id, payload: payload)) else { return }
            var chunk = json.base64EncodedData()
            chunk.append(UInt8(ascii: ","))
            h.write(chunk)
        }
        let reader = output.fileHandleForReading
        // Replies as they arrive; `scanned` bytes of it hold no ",", so a long reply (the files, many
        // MB of base64 in 64 KB reads) is scanned once, not once per read.
        var pending: [UInt8] = []
        var scanned = 0
        /// The next reply, its base64 taken off: JSON bytes.
        func rawReply() throws -> [UInt8] {
            while true {
                if let comma = pending[scanned...].firstIndex(of: UInt8(ascii: ",")) {
                    let chunk = Data(pending[..<comma])
                    pending.removeSubrange(...comma)
                    scanned = 0
                    guard let json = Data(base64Encoded: chunk) else { continue }
                    return [UInt8](json)
                }
                scanned = pending.count
                let data = reader.availableData
                if data.isEmpty { throw Failure(description: "pagefind stopped before it had finished") }
                pending.append(contentsOf: data)
            }
        }
        /// The next reply's payload and message id.
        func reply() throws -> (payload: [String: Any], id: Int?) {
            while true {
                guard let r = try JSONSerialization.jsonObject(with: Data(try rawReply())) as? [String: Any],
                      let payload = r["payload"] as? [String: Any] else { continue }
                if payload["type"] as? String == "Error" {
                    throw Failure(description: "pagefind: \(payload["message"] as? String ?? "error")")
                }
                return (payload, r["message_id"] as? Int)
            }
        }
        // The service handles messages concurrently: each step waits for the replies of the one
        // before (an index before its records, every record before the files).
        let trace = ProcessInfo.processInfo.environment["SITEGEN_PAGEFIND_TRACE"] != nil
        let t0 = Date()
        func mark(_ what: String) {
            if trace { FileHandle.standardError.write(Data("pagefind \(what) \(Date().timeIntervalSince(t0))\n".utf8)) }
        }
        send(1, NewIndex(config: ["force_language": "zh-cn"]))
        guard let indexID = try reply().payload["index_id"] as? Int else {
            throw Failure(description: "pagefind did not make an index")
        }
        // Written on another thread while this one reads the replies: either side alone would fill
        // a pipe and wait for the other for ever.
        let all = records
        let writer = Thread {
            for (k, r) in all.enumerated() { send(k + 2, AddRecord(index_id: indexID, record: r)) }
        }
        mark("index")
        writer.start()
        var indexed = 0
        while indexed < records.count {
            if let id = try reply().id, id >= 2, id < records.count + 2 { indexed += 1 }
        }
        mark("records")
        let lastID = records.count + 2
        send(lastID, IndexRequest(type: "GetFiles", index_id: indexID))
        // The files' reply is the site's whole index in base64 (about 140 MB of JSON at 10,000
        // articles): read field by field, not as Foundation objects (5.3 GB of heap that way).
        let json = try rawReply()
        try? h.close()
        mark("files")
        return PagefindCanonical.canonical(try files(inReply: json))
    }

    /// The `{"path": …, "content": base64}` objects of a GetFiles reply, in order; neither string
    /// holds a quote or an escape (paths are plain, base64 has no `"`).
    static func files(inReply json: [UInt8]) throws -> [(path: String, bytes: [UInt8])] {
        func find(_ needle: String, from: Int) -> Int? {
            let n = Array(needle.utf8)
            guard json.count >= n.count, from <= json.count - n.count else { return nil }
            var i = from
            while i <= json.count - n.count {
                if json[i] == n[0] && Array(json[i..<(i + n.count)]) == n { return i + n.count }
                i += 1
            }
            return nil
        }
        func string(at i: Int) -> (String, Int)? {
            guard let end = json[i...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return (String(decoding: json[i..<end], as: UTF8.self), end + 1)
        }
        if find("\"type\":\"Error\"", from: 0) != nil {
            throw Failure(description: "pagefind: \(String(decoding: json.prefix(300), as: UTF8.self))")
        }
        var out: [(path: String, bytes: [UInt8])] = []
        var at = find("\"files\":[", from: 0) ?? json.count
        while let open = json[at...].firstIndex(of: UInt8(ascii: "{")) {
            guard let close = json[open...].firstIndex(of: UInt8(ascii: "}")) else { break }
            var path: String?, content: String?
            var k = open
            while let p = find("\"", from: k), p < close {
                guard let (key, next) = string(at: p), let colon = json[next...].firstIndex(of: UInt8(ascii: ":")),
                      let q = json[(colon + 1)...].firstIndex(of: UInt8(ascii: "\"")), q < close,
                      let (value, after) = string(at: q + 1) else { break }
                if key == "path" { path = value } else if key == "content" { content = value }
                k = after
            }
            if let path, let content, keep(path), let bytes = Data(base64Encoded: content) {
                out.append((path, [UInt8](bytes)))
            }
            at = close + 1
        }
        return out
    }

    /// Pagefind's stock UIs, highlighting script and worker are not used: the explore page has its own
    /// script and searches on the page (so the downloads a search makes are the page's to measure).
    static func keep(_ path: String) -> Bool {
        !(path.hasPrefix("pagefind-ui") || path.hasPrefix("pagefind-modular-ui")
            || path.hasPrefix("pagefind-component-ui") || path.hasPrefix("pagefind-highlight")
            || path == "pagefind-worker.js")
    }
}
