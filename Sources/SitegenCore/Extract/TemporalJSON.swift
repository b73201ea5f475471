import Foundation

/// The `sitegen dates` contract: a JSON array of {"text", "value", "mod", "end"} in text order, plus
/// "role" when a date is not an event date ("baseline", "period", "dateline") and "future": true when
/// the future reading was taken. Both keys are left out in the ordinary case.
public enum TemporalJSON {
    /// Recognizes dates in `text` as a build would (paragraph by paragraph, context carried)
    /// and encodes them per the contract.
    public static func expressions(in text: String, reference: CivilDate) -> [TemporalExpression] {
        var context = TemporalContext(reference: reference)
        let recognizer = TemporalRecognizer()
        var out: [TemporalExpression] = []
        // Split on scalars, not Characters: grapheme breaking is the slowest part of String. One
        // decoding pass fills a paragraph buffer that is reused, instead of an array of the whole
        // text (counted, then copied) and a copy of each paragraph out of it.
        var paragraph: [Unicode.Scalar] = []
        func flush() {
            guard !paragraph.isEmpty else { return }
            context.beginParagraph()
            out += recognizer.recognize(scalars: paragraph, context: &context)
            paragraph.removeAll(keepingCapacity: true)
        }
        for u in text.unicodeScalars {
            if u == "\n" { flush() } else { paragraph.append(u) }
        }
        flush()
        return out
    }

    public static func encode(_ expressions: [TemporalExpression]) -> String {
        var s = "["
        for (i, e) in expressions.enumerated() {
            s += i == 0 ? "\n  " : ",\n  "
            s += "{\"text\": \(JSONText.quote(e.text)), \"value\": \(JSONText.quote(e.value.string)), "
            s += "\"mod\": \(e.mod.map { JSONText.quote($0.rawValue) } ?? "null"), "
            s += "\"end\": \(e.end.map { JSONText.quote($0.string) } ?? "null")"
            if e.role != .event { s += ", \"role\": \"\(e.role.rawValue)\"" }
            if e.isFutureReading { s += ", \"future\": true" }
            s += "}"
        }
        s += expressions.isEmpty ? "]" : "\n]"
        return s
    }
}

/// JSON string quoting that is also safe inside an HTML `<script>` element: `<`, `>`, `&` and
/// the line separators are escaped, so no string can close the script or break a JS parser.
public enum JSONText {
    public static func quote(_ s: String) -> String {
        // Fast path: most strings need no escaping; checking bytes is far cheaper than rebuilding.
        var clean = true
        var prev2: UInt8 = 0, prev1: UInt8 = 0
        for b in s.utf8 {
            if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 { clean = false; break }
            // U+2028 / U+2029 are E2 80 A8 / E2 80 A9 in UTF-8.
            if prev2 == 0xE2 && prev1 == 0x80 && (b == 0xA8 || b == 0xA9) { clean = false; break }
            prev2 = prev1
            prev1 = b
        }
        if clean { return "\"" + s + "\"" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
