/// Words found in folded scalar text, each with a tag: one trie walk a position, longest word first.
/// The extractor's lexicons (happening verbs, kinds, connectives, frames) are written in Simplified
/// and folded once (`LexiconFold`), so they match either script.
struct ScalarLexicon<Tag: Sendable>: Sendable {
    struct Hit { var range: Range<Int>; var tag: Tag }

    private var children: [[UInt32: Int32]] = [[:]]
    private var tags: [Tag?] = [nil]
    /// The scalars a word can start with: most positions of a text start none, and a bit test is
    /// far cheaper than the root's dictionary lookup.
    private var starts = ScalarSet([])
    private var astralStarts = false

    init(_ entries: [(String, Tag)]) {
        defer {
            starts = ScalarSet(children[0].keys.compactMap(Unicode.Scalar.init))
            astralStarts = children[0].keys.contains { $0 >= 0x10000 }
        }
        for (word, tag) in entries {
            let key = LexiconFold.fold(Array(word.unicodeScalars))
            guard !key.isEmpty else { continue }
            var node = 0
            for s in key {
                if let next = children[node][s.value] {
                    node = Int(next)
                } else {
                    children.append([:])
                    tags.append(nil)
                    children[node][s.value] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            tags[node] = tag
        }
    }

    /// The longest word starting at `i`, if any.
    func longest(at i: Int, in text: [Unicode.Scalar], limit: Int? = nil) -> Hit? {
        let end = limit ?? text.count
        guard i < end, starts.contains(text[i]) || astralStarts && text[i].value >= 0x10000 else { return nil }
        var node = 0
        var best: Hit?
        var j = i
        while j < end, let next = children[node][text[j].value] {
            node = Int(next)
            j += 1
            if let t = tags[node] { best = Hit(range: i..<j, tag: t) }
        }
        return best
    }

    /// Non-overlapping hits, left to right.
    func hits(in text: [Unicode.Scalar], range: Range<Int>? = nil) -> [Hit] {
        let r = range ?? 0..<text.count
        var out: [Hit] = []
        var i = r.lowerBound
        while i < r.upperBound {
            if let h = longest(at: i, in: text, limit: r.upperBound) {
                out.append(h)
                i = h.range.upperBound
            } else {
                i += 1
            }
        }
        return out
    }

    func first(in text: [Unicode.Scalar], range: Range<Int>? = nil) -> Hit? {
        let r = range ?? 0..<text.count
        for i in r { if let h = longest(at: i, in: text, limit: r.upperBound) { return h } }
        return nil
    }

    func occurs(in text: [Unicode.Scalar], range: Range<Int>? = nil) -> Bool { first(in: text, range: range) != nil }

    /// A word that starts exactly at `i` (skipping nothing).
    func startsWith(_ text: [Unicode.Scalar], at i: Int) -> Hit? { longest(at: i, in: text) }
}

extension ScalarLexicon where Tag == Bool {
    init(words: [String]) { self.init(words.map { ($0, true) }) }
}
