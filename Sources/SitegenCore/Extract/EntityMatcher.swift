/// Finds entities in text by longest alias match. Aliases and text are folded the same way
/// (Traditional → Simplified for common characters, full-width → ASCII, Latin lower-cased), so
/// 「騰訊」 finds 腾讯 and 「openai」 finds OpenAI.
public struct EntityMatcher: Sendable {
    public struct Match: Sendable, Equatable {
        public var entityID: String
        public var range: Range<Int>
    }

    /// A trie over folded scalars; node 0 is the root.
    private var children: [[UInt32: Int32]] = [[:]]
    private var terminal: [String?] = [nil]
    /// The scalars a name can start with (a bit test before the root's dictionary lookup).
    private var starts = ScalarSet([])
    private var astralStarts = false

    public init(entities: [Entity]) {
        for e in entities {
            for alias in [e.name] + e.aliases {
                let key = Self.fold(Array(alias.unicodeScalars))
                guard key.count >= 2 || (key.first.map(ChineseText.isIdeograph) ?? false) && key.count >= 2 else { continue }
                insert(key, id: e.id)
            }
        }
        // A company listed with its legal ending (「美图公司」「商汤集团」) is mostly written without it
        // (「美图表示」); the stem is found too, after every listed name so it never shadows one.
        for e in entities where e.kind == .company {
            for alias in [e.name] + e.aliases {
                let key = Self.fold(Array(alias.unicodeScalars))
                for ending in Self.legalEndings where key.count >= ending.count + 2 && Array(key.suffix(ending.count)) == ending {
                    var stem = Array(key.dropLast(ending.count))
                    while stem.last == " " { stem.removeLast() }
                    if stem.count >= 2, lookup(stem) == nil { insert(stem, id: e.id) }
                }
            }
        }
        starts = ScalarSet(children[0].keys.compactMap(Unicode.Scalar.init))
        astralStarts = children[0].keys.contains { $0 >= 0x10000 }
    }

    static let legalEndings: [[Unicode.Scalar]] = ["公司", "集团", "科技"].map { Array($0.unicodeScalars) }

    private func lookup(_ key: [Unicode.Scalar]) -> String? {
        var node = 0
        for s in key {
            guard let next = children[node][s.value] else { return nil }
            node = Int(next)
        }
        return terminal[node]
    }

    private mutating func insert(_ key: [Unicode.Scalar], id: String) {
        var node = 0
        for s in key {
            if let next = children[node][s.value] {
                node = Int(next)
            } else {
                children.append([:])
                terminal.append(nil)
                children[node][s.value] = Int32(children.count - 1)
                node = children.count - 1
            }
        }
        if terminal[node] == nil { terminal[node] = id }
    }

    /// Both scripts alike, Latin lower-cased (`LexiconFold`).
    static func fold(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] { LexiconFold.fold(scalars) }

    private static func isAlnum(_ s: Unicode.Scalar?) -> Bool {
        guard let s else { return false }
        return ChineseText.isDigit(s) || ChineseText.isASCIILetter(s)
    }

    /// All matches, left to right, longest first at each position, non-overlapping.
    public func matches(in scalars: [Unicode.Scalar]) -> [Match] { matches(inFolded: Self.fold(scalars)) }

    /// `matches(in:)` for text already folded with `LexiconFold`.
    func matches(inFolded text: [Unicode.Scalar]) -> [Match] {
        var out: [Match] = []
        var i = 0
        while i < text.count {
            guard starts.contains(text[i]) || astralStarts && text[i].value >= 0x10000 else { i += 1; continue }
            var node = 0
            var best: (Int, String)?
            var j = i
            while j < text.count, let next = children[node][text[j].value] {
                node = Int(next)
                j += 1
                if let id = terminal[node] {
                    // A Latin or numeric alias must not be cut out of a longer word or number
                    // (「360」 in 「3600」, 「GPT-4」 in 「GPT-4o」).
                    let startsAlnum = Self.isAlnum(text[i])
                    let endsAlnum = Self.isAlnum(text[j - 1])
                    let leftOK = !startsAlnum || !Self.isAlnum(i > 0 ? text[i - 1] : nil)
                    let rightOK = !endsAlnum || !Self.isAlnum(j < text.count ? text[j] : nil)
                    if leftOK && rightOK { best = (j, id) }
                }
            }
            if let (end, id) = best {
                out.append(Match(entityID: id, range: i..<end))
                i = end
            } else {
                i += 1
            }
        }
        return out
    }

    /// Distinct entity ids in order of first mention.
    public func entityIDs(in scalars: [Unicode.Scalar]) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for m in matches(in: scalars) where seen.insert(m.entityID).inserted { out.append(m.entityID) }
        return out
    }
}
