/// The fold the extractor reads with: `ChineseText.fold` (full-width ASCII, the date grammar's
/// Traditional characters) widened to every one-to-one Traditional→Simplified pair, and Latin
/// lower-cased. Verbs, kinds, names and their lexicons all go through it, so 「發表」「釋出」「營收」
/// meet the same words as 「发表」「释出」「营收」. One scalar for one: offsets survive.
enum LexiconFold {
    static let table: [UInt32: Unicode.Scalar] = {
        var out: [UInt32: Unicode.Scalar] = [:]
        let s = Array(ChineseText.traditionalPairs.unicodeScalars)
        var i = 0
        while i + 1 < s.count {
            out[s[i].value] = s[i + 1]
            i += 2
        }
        return out
    }()
    static let keys = ScalarSet(table.keys.compactMap(Unicode.Scalar.init))

    static func fold(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let keys = Self.keys, table = Self.table
        var out = ChineseText.fold(scalars)
        for k in out.indices {
            let v = out[k].value
            if v >= 0x41 && v <= 0x5A {
                out[k] = Unicode.Scalar(v + 32)!
            } else if v >= 0x3400, keys.contains(out[k]), let t = table[v] {
                out[k] = t
            }
        }
        return out
    }

    static func fold(_ text: String) -> String {
        String(String.UnicodeScalarView(fold(Array(text.unicodeScalars))))
    }
}
