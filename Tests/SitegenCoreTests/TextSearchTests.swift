import Testing
@testable import SitegenCore

/// TextSearch replaced Foundation's `contains` / `range(of:)` in the extractor and the annotator;
/// on the text they search it must find the same things.
struct TextSearchTests {
    struct Case: Sendable, CustomStringConvertible {
        var haystack: String
        var needle: String
        /// Expected match as a UTF-8 byte offset, nil for none.
        var offset: Int?
        var description: String { "\(needle) in \(haystack)" }
    }

    static let cases: [Case] = [
        Case(haystack: "hello world", needle: "world", offset: 6),
        Case(haystack: "hello world", needle: "hello", offset: 0),
        Case(haystack: "hello world", needle: "d", offset: 10),
        Case(haystack: "hello world", needle: "hello world", offset: 0),
        Case(haystack: "hello", needle: "hello world", offset: nil),
        Case(haystack: "hello world", needle: "World", offset: nil),
        Case(haystack: "abababc", needle: "ababc", offset: 2),
        Case(haystack: "aaa", needle: "aa", offset: 0),
        // Non-ASCII: offsets are UTF-8 bytes (three per CJK character).
        Case(haystack: "阿里发布通义千问大模型", needle: "大模型", offset: 24),
        Case(haystack: "大模型产业", needle: "大模型", offset: 0),
        Case(haystack: "百度宣布文心一言免费", needle: "免费", offset: 24),
        Case(haystack: "百度宣布文心一言免费", needle: "收费", offset: nil),
        Case(haystack: "OpenAI发布GPT-4o", needle: "GPT", offset: 12),
        Case(haystack: "“大会”上", needle: "大会", offset: 3),
        // A word whose bytes are a prefix of another character's: 模 (E6 A8 A1) vs 樣 (E6 A8 A3).
        Case(haystack: "樣本模型", needle: "模型", offset: 6),
        // Empty needle: found nowhere, as with Foundation's `contains("")`.
        Case(haystack: "hello", needle: "", offset: nil),
        Case(haystack: "", needle: "", offset: nil),
        Case(haystack: "", needle: "a", offset: nil),
    ]

    @Test(arguments: cases)
    func firstOffset(_ c: Case) {
        let found = TextSearch.withUTF8(c.haystack) { h in TextSearch.firstOffset(of: Array(c.needle.utf8), in: h) }
        #expect(found == c.offset)
        #expect(TextSearch.contains(c.haystack, c.needle) == (c.offset != nil))
    }

    @Test(arguments: cases)
    func rangeIsTheMatchingText(_ c: Case) {
        let r = TextSearch.range(of: c.needle, in: c.haystack)
        #expect((r != nil) == (c.offset != nil))
        if let r {
            #expect(String(c.haystack[r]) == c.needle)
            #expect(c.haystack.utf8.distance(from: c.haystack.startIndex, to: r.lowerBound) == c.offset)
        }
    }

    /// Where Foundation and byte search agree (no combining marks, no decomposed forms), they
    /// must give the same answer.
    @Test(arguments: cases.filter { !$0.needle.isEmpty })
    func agreesWithStandardLibrarySearch(_ c: Case) {
        #expect(TextSearch.contains(c.haystack, c.needle) == c.haystack.utf8.elementsEqualAnywhere(c.needle.utf8))
    }

    @Test func searchFromAnOffset() {
        let text = "A发布，B发布，C发布"
        let needle = Array("发布".utf8)
        let at = TextSearch.withUTF8(text) { h -> [Int] in
            var out: [Int] = []
            var from = 0
            while let i = TextSearch.firstOffset(of: needle, in: h, from: from) { out.append(i); from = i + 1 }
            return out
        }
        #expect(at == [1, 11, 21])
        // Past the end, or at a negative offset: nothing.
        #expect(TextSearch.withUTF8(text) { TextSearch.firstOffset(of: needle, in: $0, from: 100) } == nil)
        #expect(TextSearch.withUTF8(text) { TextSearch.firstOffset(of: needle, in: $0, from: -1) } == nil)
    }

    @Test func singleBytesAndPrefixes() {
        TextSearch.withUTF8("<p data-sourcepos=\"1:1-1:9\">x</p>") { h in
            #expect(TextSearch.firstOffset(of: UInt8(ascii: ">"), in: h) == 27)
            #expect(TextSearch.firstOffset(of: UInt8(ascii: ">"), in: h, from: 28) == 32)
            #expect(TextSearch.firstOffset(of: UInt8(ascii: "#"), in: h) == nil)
            #expect(TextSearch.hasPrefix(Array("data-".utf8), in: h, at: 3))
            #expect(!TextSearch.hasPrefix(Array("data-".utf8), in: h, at: 2))
            #expect(!TextSearch.hasPrefix(Array("</p>x".utf8), in: h, at: 29))
        }
    }

    struct WordsCase: Sendable, CustomStringConvertible {
        var words: [String]
        var text: String
        var occurs: Bool
        var description: String { "\(words) in \(text)" }
    }

    static let wordsCases: [WordsCase] = [
        WordsCase(words: EventExtractor.topicWords, text: "阿里宣布通义千问大模型降价", occurs: true),
        WordsCase(words: EventExtractor.vagueTimeWords, text: "业内人士认为竞争激烈", occurs: false),
        WordsCase(words: EventExtractor.topicWords, text: "英伟达AI芯片", occurs: true),
        WordsCase(words: EventExtractor.topicWords, text: "今日天气晴朗", occurs: false),
        WordsCase(words: ["随后", "紧随其后"], text: "腾讯紧随其后", occurs: true),
        WordsCase(words: ["随后"], text: "随", occurs: false),
        WordsCase(words: [], text: "随后", occurs: false),
        WordsCase(words: [""], text: "随后", occurs: false),
        WordsCase(words: ["", "后"], text: "随后", occurs: true),
    ]

    @Test(arguments: wordsCases)
    func wordLists(_ c: WordsCase) {
        #expect(TextSearch.Words(c.words).occur(in: c.text) == c.occurs)
        // The extractor's lexicons find the same words (on folded text, in either script).
        #expect(ScalarLexicon(words: c.words).occurs(in: LexiconFold.fold(Array(c.text.unicodeScalars))) == c.occurs)
    }

    @Test func substringsAndBridgedText() {
        // A slice's text (not a native string of its own) is searched as its bytes too.
        let whole = "前言：OpenAI发布GPT-4o"
        let tail = String(whole.split(separator: "：")[1])
        #expect(TextSearch.range(of: "GPT", in: tail).map { String(tail[$0]) } == "GPT")
    }
}

/// The byte-level writers that replaced scalar-by-scalar ones give the same text.
struct ByteWriterTests {
    static let samples: [String] = [
        "", "plain", "大模型产业时间线", "a\"b", "\"", "\\", "<script>&</script>", "tab\there\nline\rcr",
        "\u{01}\u{1F}\u{7F}", "\u{2028}\u{2029}", "x\u{2028}", "\u{2027}\u{202A}", "it's", "\u{FFFE}\u{FFFF}\u{FFFD}",
        "混合 \"引号\" 与 <标签> & 'apos'", "😀👩‍💻", "e\u{301}", "\u{EF}\u{BF}", "\u{FEFF}\u{FFEF}a\u{FFFF}",
    ]

    @Test(arguments: samples)
    func jsonQuoteMatchesJSONText(_ s: String) {
        var out: [UInt8] = []
        JSONBytes.appendQuoted(s, script: false, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == JSONText.quote(s))
        #expect(JSONValue.string(s).compact == JSONText.quote(s))
    }

    @Test(arguments: samples)
    func scriptQuoteIsQuoteWithEscapedDoubleQuotes(_ s: String) {
        let reference = "\"" + s.split(separator: "\"", omittingEmptySubsequences: false)
            .map { JSONText.quote(String($0)).dropFirst().dropLast() }.joined(separator: "\\u0022") + "\""
        #expect(JSONValue.scriptQuote(s) == reference)
        #expect(JSONValue.string(s).scriptCompact == reference)
    }

    @Test(arguments: samples)
    func xmlEscapeMatchesScalarReference(_ s: String) {
        var ref = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": ref += "&amp;"
            case "<": ref += "&lt;"
            case ">": ref += "&gt;"
            case "\"": ref += "&quot;"
            case "'": ref += "&apos;"
            case "\t": ref += "&#9;"
            case "\n": ref += "&#10;"
            case "\r": ref += "&#13;"
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                ref.unicodeScalars.append(u)
            }
        }
        #expect(XMLText.escape(s) == ref)
    }

    @Test(arguments: samples)
    func htmlEscapesMatchScalarReference(_ s: String) {
        var text = "", attr = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": text += "&amp;"; attr += "&amp;"
            case "<": text += "&lt;"; attr += "&lt;"
            case ">": text += "&gt;"; attr += "&gt;"
            case "\"": text += "&quot;"; attr += "&quot;"
            case "'": text.unicodeScalars.append(c); attr += "&#39;"
            default: text.unicodeScalars.append(c); attr.unicodeScalars.append(c)
            }
        }
        #expect(HTML.escapeText(s) == text)
        #expect(HTML.escape(s) == attr)
        var bytes: [UInt8] = Array("x".utf8)
        HTML.appendEscaped(s, into: &bytes)
        #expect(bytes == Array(("x" + attr).utf8))
    }

    @Test(arguments: ["", "events/e1/index.html", "articles/大模型/", "a b?c#d%e", "~-._/AZaz09"])
    func urlEncodingMatchesReference(_ s: String) {
        var ref = ""
        for b in s.utf8 {
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || "-._~/".utf8.contains(b) {
                ref.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                ref += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        #expect(URLText.encodePath(s) == ref)
    }

    @Test func prettyAndCompactJSON() {
        let v = JSONValue.obj([("a", .array([.string("x<y"), .int(-3), .bool(false), .null])), ("b", .object([])), ("c", .array([]))])
        #expect(v.compact == "{\"a\":[\"x\\u003cy\",-3,false,null],\"b\":{},\"c\":[]}")
        #expect(v.pretty() == "{\n  \"a\": [\n    \"x\\u003cy\",\n    -3,\n    false,\n    null\n  ],\n  \"b\": {},\n  \"c\": []\n}")
        #expect(v.compact(quote: { "'" + $0 + "'" }) == "{'a':['x<y',-3,false,null],'b':{},'c':[]}")
    }
}

private extension String.UTF8View {
    /// Naive reference search.
    func elementsEqualAnywhere(_ needle: String.UTF8View) -> Bool {
        let h = Array(self), n = Array(needle)
        guard !n.isEmpty, n.count <= h.count else { return false }
        for i in 0...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n { return true }
        return false
    }
}
