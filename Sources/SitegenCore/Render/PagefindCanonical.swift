import CZlib

/// Pagefind writes the values of each filter, and the list of filters in its metadata file, in
/// the order of a randomly seeded hash map: the same records give different bytes from run to run
/// (measured: 3 runs, 3 different sets of files). A build must give the same bytes every time, so
/// those two kinds of files are decoded (gzip, then Pagefind's CBOR), put in order, encoded again,
/// and renamed after their new content; the entry file then names the new metadata file.
enum PagefindCanonical {
    static let magic = Array("pagefind_dcd".utf8)

    /// `files`: paths relative to the bundle. Files it cannot read are left as they are.
    static func canonical(_ files: [(path: String, bytes: [UInt8])]) -> [(path: String, bytes: [UInt8])] {
        var renamed: [String: String] = [:]  // old hash → new hash, for filters
        var out: [(path: String, bytes: [UInt8])] = []
        var meta: (path: String, bytes: [UInt8])?
        var entry: (path: String, bytes: [UInt8])?
        for f in files {
            if f.path.hasSuffix(".pf_filter"), let fixed = sortFilter(f.bytes) {
                let old = String(f.path.dropFirst("filter/".count).dropLast(".pf_filter".count))
                let lang = old.split(separator: "_").first.map(String.init) ?? "zh-cn"
                let new = "\(lang)_\(hex(fixed, digits: 7))"
                renamed[old] = new
                out.append(("filter/\(new).pf_filter", fixed))
            } else if f.path.hasSuffix(".pf_meta") {
                meta = f
            } else if f.path == "pagefind-entry.json" {
                entry = f
            } else {
                out.append(f)
            }
        }
        guard let meta, let entry else { return files }
        let oldMeta = String(meta.path.dropFirst("pagefind.".count).dropLast(".pf_meta".count))
        guard let fixed = sortMeta(meta.bytes, renamed: renamed) else { return files }
        let lang = oldMeta.split(separator: "_").first.map(String.init) ?? "zh-cn"
        let newMeta = "\(lang)_\(hex(fixed, digits: 13))"
        out.append(("pagefind.\(newMeta).pf_meta", fixed))
        let text = String(decoding: entry.bytes, as: UTF8.self).replacingOccurrences(of: oldMeta, with: newMeta)
        out.append(("pagefind-entry.json", Array(text.utf8)))
        return out.sorted { $0.path < $1.path }
    }

    static func hex(_ bytes: [UInt8], digits: Int) -> String {
        var h = StableHash()
        h.combine(String(decoding: bytes.map { $0 == 0 ? 1 : $0 }, as: UTF8.self) + String(bytes.count))
        var s = String(h.value, radix: 16)
        while s.count < 16 { s = "0" + s }
        var h2 = StableHash()
        h2.combine(s)
        s += String(h2.value, radix: 16)
        return String(s.prefix(digits))
    }

    /// A filter file: [name, [[value, [page…]]…]] with the values in order.
    static func sortFilter(_ gz: [UInt8]) -> [UInt8]? {
        guard let raw = gunzip(gz), raw.starts(with: magic),
              case .array(var top)? = CBOR.decode(Array(raw[magic.count...])), top.count == 2,
              case .array(let values) = top[1] else { return nil }
        top[1] = .array(values.sorted { $0.sortKey < $1.sortKey })
        return gzip(magic + CBOR.encode(.array(top)))
    }

    /// The metadata file: the list of filters (its 4th item, [[name, hash]…]) in order of name, with
    /// the new names of the filter files.
    static func sortMeta(_ gz: [UInt8], renamed: [String: String]) -> [UInt8]? {
        guard let raw = gunzip(gz), raw.starts(with: magic),
              case .array(var top)? = CBOR.decode(Array(raw[magic.count...])) else { return nil }
        for k in top.indices {
            guard case .array(let list) = top[k], list.allSatisfy({ $0.isFilterRef }), !list.isEmpty else { continue }
            top[k] = .array(list.map { item in
                guard case .array(let pair) = item, case .text(let hash) = pair[1], let new = renamed[hash] else { return item }
                return .array([pair[0], .text(new)])
            }.sorted { $0.sortKey < $1.sortKey })
        }
        return gzip(magic + CBOR.encode(.array(top)))
    }

    static func gunzip(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        return pump(&stream, input) { inflate(&$0, Z_NO_FLUSH) }
    }

    /// gzip at level 9 with no name and no time in the header, so the bytes depend on the input only.
    static func gzip(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        return pump(&stream, input) { deflate(&$0, Z_FINISH) }
    }

    /// Feeds `input` through an initialised zlib stream in 64 KB pieces while `step` returns Z_OK.
    private static func pump(_ stream: inout z_stream, _ input: [UInt8],
                             step: (inout z_stream) -> Int32) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { c in
                    stream.next_out = c.baseAddress
                    stream.avail_out = UInt32(c.count)
                    status = step(&stream)
                    out += c[0..<(c.count - Int(stream.avail_out))]
                }
            } while status == Z_OK
        }
        return status == Z_STREAM_END ? out : nil
    }
}

/// The CBOR Pagefind writes: unsigned integers, byte and text strings, arrays, maps; each length in
/// its shortest form, as the encoder here writes it back.
indirect enum CBOR: Equatable {
    case uint(UInt64), bytes([UInt8]), text(String), array([CBOR]), map([(CBOR, CBOR)])

    static func == (a: CBOR, b: CBOR) -> Bool { encode(a) == encode(b) }

    var isFilterRef: Bool {
        guard case .array(let p) = self, p.count == 2, case .text = p[0], case .text = p[1] else { return false }
        return true
    }

    /// Orders filter values and filter references by their first item.
    var sortKey: String {
        guard case .array(let p) = self, let first = p.first, case .text(let s) = first else { return "" }
        return s
    }

    static func decode(_ b: [UInt8]) -> CBOR? {
        var i = 0
        guard let v = item(b, &i), i == b.count else { return nil }
        return v
    }

    private static func item(_ b: [UInt8], _ i: inout Int) -> CBOR? {
        guard i < b.count else { return nil }
        let major = b[i] >> 5, info = b[i] & 31
        i += 1
        var n: UInt64
        switch info {
        case 0..<24: n = UInt64(info)
        case 24, 25, 26, 27:
            let len = 1 << Int(info - 24)
            guard i + len <= b.count else { return nil }
            n = 0
            for k in 0..<len { n = n << 8 | UInt64(b[i + k]) }
            i += len
        default: return nil
        }
        switch major {
        case 0: return .uint(n)
        case 2, 3:
            guard i + Int(n) <= b.count else { return nil }
            let s = Array(b[i..<(i + Int(n))])
            i += Int(n)
            return major == 2 ? .bytes(s) : .text(String(decoding: s, as: UTF8.self))
        case 4:
            var a: [CBOR] = []
            for _ in 0..<n { guard let v = item(b, &i) else { return nil }; a.append(v) }
            return .array(a)
        case 5:
            var m: [(CBOR, CBOR)] = []
            for _ in 0..<n {
                guard let k = item(b, &i), let v = item(b, &i) else { return nil }
                m.append((k, v))
            }
            return .map(m)
        default: return nil
        }
    }

    static func encode(_ v: CBOR) -> [UInt8] {
        var out: [UInt8] = []
        write(v, &out)
        return out
    }

    private static func head(_ major: UInt8, _ n: UInt64, _ out: inout [UInt8]) {
        let m = major << 5
        switch n {
        case 0..<24: out.append(m | UInt8(n))
        case 24...0xFF: out += [m | 24, UInt8(n)]
        case 0x100...0xFFFF: out += [m | 25, UInt8(n >> 8), UInt8(n & 0xFF)]
        case 0x1_0000...0xFFFF_FFFF: out.append(m | 26); for s in [24, 16, 8, 0] { out.append(UInt8((n >> UInt64(s)) & 0xFF)) }
        default: out.append(m | 27); for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8((n >> UInt64(s)) & 0xFF)) }
        }
    }

    private static func write(_ v: CBOR, _ out: inout [UInt8]) {
        switch v {
        case .uint(let n): head(0, n, &out)
        case .bytes(let b): head(2, UInt64(b.count), &out); out += b
        case .text(let s): let u = Array(s.utf8); head(3, UInt64(u.count), &out); out += u
        case .array(let a): head(4, UInt64(a.count), &out); for x in a { write(x, &out) }
        case .map(let m): head(5, UInt64(m.count), &out); for (k, x) in m { write(k, &out); write(x, &out) }
        }
    }
}
