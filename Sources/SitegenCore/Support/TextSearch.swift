/// Substring search on UTF-8 bytes, for the hot searches of the extract and render stages.
///
/// Why not Foundation: `String.contains(_:)` and `range(of:)` from Foundation go through
/// `CFStringFindWithOptionsAndLocale`, which folds character clusters and reads the text as UTF-16
/// (`NSString.getCharacters`; on a `Substring` also the string's UTF-16 breadcrumbs). perf put
/// 12% of all build CPU there at 2,000 articles (EventExtractor's word lists over whole sections
/// and every clause, ArticleAnnotator's searches in each article's HTML), plus 2.5% building
/// breadcrumbs.
///
/// Matching is byte for byte. A valid UTF-8 needle can only match valid UTF-8 text at scalar
/// boundaries (a match never starts or ends inside a multi-byte scalar), so a match is a run of
/// whole scalars equal to the needle's. What differs from Foundation's default comparison is only
/// what sitegen's text does not contain where it searches: no canonical equivalence (a
/// precomposed 「é」 does not match 「e」 + U+0301) and no refusal of a match that ends before a
/// combining mark. As with Foundation, an empty needle is found nowhere.
enum TextSearch {
    /// Byte offset of the first occurrence of `needle` in `haystack` at or after `start`.
    static func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>,
                            from start: Int = 0) -> Int? {
        let m = needle.count
        guard m > 0, start >= 0, haystack.count - start >= m,
              let h = haystack.baseAddress, let n = needle.baseAddress else { return nil }
        let first = n[0], last = n[m - 1]
        // Candidates must agree on the first and last byte (for CJK words the last byte, a
        // continuation byte, is far more selective than the lead byte); then the middle.
        var i = start
        let stop = haystack.count - m
        while i <= stop {
            if h[i] == first && h[i + m - 1] == last {
                var k = 1
                while k < m - 1 && h[i + k] == n[k] { k += 1 }
                if k >= m - 1 { return i }
            }
            i += 1
        }
        return nil
    }

    static func firstOffset(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        needle.withUnsafeBufferPointer { firstOffset(of: $0, in: haystack, from: start) }
    }

    /// True when `haystack` (the bytes) begins at `offset` with `prefix`.
    static func hasPrefix(_ prefix: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset >= 0, haystack.count - offset >= prefix.count else { return false }
        for k in prefix.indices where haystack[offset + k] != prefix[k] { return false }
        return true
    }

    /// Byte offset of the first `byte` at or after `start`.
    static func firstOffset(of byte: UInt8, in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        var i = max(start, 0)
        while i < haystack.count {
            if haystack[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// Runs `body` on the string's UTF-8 bytes (no copy for native Swift strings).
    @inline(__always)
    static func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var s = s
        return try s.withUTF8(body)
    }

    /// Whether `needle` occurs in `haystack` (false for an empty needle, as Foundation's).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        withUTF8(haystack) { h in withUTF8(needle) { n in firstOffset(of: n, in: h) != nil } }
    }

    /// The first occurrence of `needle` in `haystack` as string indices (nil for an empty needle).
    static func range(of needle: String, in haystack: String) -> Range<String.Index>? {
        let found = withUTF8(haystack) { h in withUTF8(needle) { n in firstOffset(of: n, in: h).map { ($0, n.count) } } }
        guard let (offset, count) = found else { return nil }
        let u = haystack.utf8
        let lo = u.index(u.startIndex, offsetBy: offset)
        return lo..<u.index(lo, offsetBy: count)
    }

    /// `haystack` with every occurrence of `needle` replaced by `replacement`, matches taken left to
    /// right without overlap (as Foundation's `replacingOccurrences`). An empty needle replaces nothing.
    static func replacingAll(_ needle: String, in haystack: String, with replacement: String) -> String {
        withUTF8(haystack) { h in
            withUTF8(needle) { n -> String in
                guard var hit = firstOffset(of: n, in: h) else { return haystack }
                var out: [UInt8] = []
                out.reserveCapacity(h.count)
                var pos = 0
                while true {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: h[pos..<hit]))
                    out.append(contentsOf: replacement.utf8)
                    pos = hit + n.count
                    guard let next = firstOffset(of: n, in: h, from: pos) else { break }
                    hit = next
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: h[pos...]))
                return String(decoding: out, as: UTF8.self)
            }
        }
    }

    /// A fixed list of words, kept as UTF-8, to ask whether any of them occurs in a text.
    struct Words: Sendable {
        let words: [[UInt8]]

        init(_ words: [String]) {
            // An empty word matches nothing (Foundation's `contains("")` is false), so it is left out.
            self.words = words.map { Array($0.utf8) }.filter { !$0.isEmpty }
        }

        /// Whether any of the words occurs in `text`.
        func occur(in text: String) -> Bool {
            TextSearch.withUTF8(text) { h in
                for w in words where TextSearch.firstOffset(of: w, in: h) != nil { return true }
                return false
            }
        }
    }
}
