/// Splits Chinese text into sentences and sentences into clauses.
enum SentenceSplitter {
    static let terminators: Set<Unicode.Scalar> = ["。", "！", "？", "!", "?", "\n", "…"]
    static let closers: Set<Unicode.Scalar> = ["」", "”", "』", "’", "）", ")", "\"", "》"]

    /// Sentence ranges over `s`, each keeping its terminator and closing quotes.
    static func sentences(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        var i = 0
        while i < s.count {
            if terminators.contains(s[i]) {
                var j = i + 1
                while j < s.count, terminators.contains(s[j]) && s[j] != "\n" { j += 1 }
                while j < s.count, closers.contains(s[j]) { j += 1 }
                if j > start { out.append(start..<j) }
                start = j
                i = j
            } else {
                i += 1
            }
        }
        if start < s.count { out.append(start..<s.count) }
        return out.filter { r in s[r].contains { !ChineseText.isSpace($0) && $0 != "\n" } }
    }

    static let clauseBreaks: Set<Unicode.Scalar> = ["，", ",", "；", ";", "：", ":", "、"]
    /// Words that may stand between a comma and a clause-opening date: 「，如5月21日…」「，并于22日…」.
    static let leadWords: [String] = ["并于", "而在", "随后", "此后", "同时", "其中", "到了", "截至", "截止", "如", "而", "在", "于", "并", "又", "也", "则", "到", "至", "自", "从", "是",
                                      "预计", "计划", "有望", "力争", "争取", "将", "拟", "或"]

    /// Clause boundaries inside one sentence: every 「；」, and every comma that opens a clause
    /// with its own date (「5月21日…；同日，…；22日，…」 gives three clauses; 「…完成B轮融资，再往前的去年
    /// 10月，红杉领投了其A轮」 gives two). Between the comma and the date may stand lead words, or a
    /// few words that say nothing happened yet (no predicate).
    static func clauseStarts(_ s: [Unicode.Scalar], folded: [Unicode.Scalar], sentence: Range<Int>,
                             dateStarts: [Int]) -> [Int] {
        var starts: Set<Int> = [sentence.lowerBound]
        for i in sentence where s[i] == "；" || s[i] == ";" {
            if i + 1 < sentence.upperBound { starts.insert(i + 1) }
        }
        for d in dateStarts where d > sentence.lowerBound {
            var b = d - 1
            // step back over lead words
            var stepped = true
            while stepped {
                stepped = false
                for w in leadWords {
                    let u = Array(w.unicodeScalars)
                    if b - u.count + 1 >= sentence.lowerBound, Array(folded[(b - u.count + 1)...b]) == u {
                        b -= u.count
                        stepped = true
                        break
                    }
                }
            }
            while b >= sentence.lowerBound, ChineseText.isSpace(s[b]) { b -= 1 }
            if b >= sentence.lowerBound, clauseBreaks.contains(s[b]) || s[b] == "“" || s[b] == "「" {
                if s[b] != "、" { starts.insert(b + 1) }
                continue
            }
            // 「，再往前的去年10月」: up to eight characters without a predicate or a break.
            var k = b
            var n = 0
            while k >= sentence.lowerBound, n < 8, !clauseBreaks.contains(s[k]), !terminators.contains(s[k]) {
                k -= 1
                n += 1
            }
            guard k >= sentence.lowerBound, k > sentence.lowerBound, clauseBreaks.contains(s[k]), s[k] != "、", s[k] != "：",
                  s[k] != ":" else { continue }
            if !Happening.assess(folded, range: (k + 1)..<d).hasPredicate,
               !dateStarts.contains(where: { $0 > k && $0 < d }) {
                starts.insert(k + 1)
            }
        }
        return starts.sorted()
    }
}
