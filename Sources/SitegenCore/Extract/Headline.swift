/// An event's title: one clean clause — actor, predicate, object — without its date, leading
/// connectives, bylines or mastheads, with balanced brackets, in the article's own script.
enum Headline {
    static let limit = 40

    static let leadingNoise: Set<Unicode.Scalar> = ["，", ",", "；", ";", "：", ":", "、", " ", "。", "-", "—", "|", "｜",
                                                    "·", "・", "…"]
    static let trailingNoise: Set<Unicode.Scalar> = ["，", ",", "；", ";", "：", ":", "、", " ", "。", "！", "？", "-", "—",
                                                     "|", "｜", "·", "…"]
    /// Prepositions that go with a removed date (「于2023年10月问世」 → 「问世」).
    static let datePrepositions = ["截至", "截止", "于", "在", "自", "从", "至", "到", "是", "的"]
    static let dateTails = ["以来", "起", "期间", "前后", "左右", "之前", "之后", "时"]
    static let datePrepositionScalars = datePrepositions.map { Array($0.unicodeScalars) }
    static let dateTailWords = ScalarLexicon(words: dateTails)
    static let trailingAnchors = ["以来", "之后", "以后", "期间"].map { Array($0.unicodeScalars) }
    static let leftoverAnchors = ScalarLexicon(words: ["截至", "截止", "以来", "期间", "至今"])
    /// Opening words that connect to the sentence before and say nothing about the event.
    static let connectives = ScalarLexicon(words: [
        "而且", "并且", "此外", "同时", "与此同时", "而", "据悉", "据了解", "据报道", "另据", "另外", "值得一提的是", "不过",
        "但是", "但", "然而", "对此", "随后", "此后", "之后", "然后", "接着", "紧接着", "后来", "先回", "如", "比如",
        "例如", "据称", "消息称", "据介绍", "报道称", "首先", "其次", "最后", "再往前", "更早", "更早前", "再早", "早在",
        "当时", "彼时", "如今", "眼下", "至此", "次日", "当天", "当日", "同日", "另一方面", "与之相比", "相比之下",
        "不仅如此", "除此之外", "除此以外", "事实上", "实际上", "其实", "总之", "因此", "所以", "于是", "继而", "也就是说",
    ])

    /// - Parameters:
    ///   - clause: the clause as written; `folded`: the same, folded (same length).
    ///   - removing: clause-relative ranges of its date expressions.
    ///   - actor: the main actor's name as the article writes it, put in front when the clause does not name it.
    static func make(_ clause: [Unicode.Scalar], folded: [Unicode.Scalar], removing dates: [Range<Int>],
                     actor: String?) -> String {
        var drop = [Bool](repeating: false, count: clause.count)
        for r in dates {
            var lo = r.lowerBound, hi = r.upperBound
            for u in datePrepositionScalars where lo - u.count >= 0 && folded[(lo - u.count)..<lo].elementsEqual(u) {
                lo -= u.count
                break
            }
            if let t = dateTailWords.longest(at: hi, in: folded) { hi = t.range.upperBound }
            for k in lo..<min(hi, clause.count) { drop[k] = true }
        }
        dropBylines(folded, &drop)
        dropDatelines(folded, &drop)
        var kept: [Unicode.Scalar] = []
        var keptFolded: [Unicode.Scalar] = []
        for k in clause.indices where !drop[k] {
            kept.append(clause[k])
            keptFolded.append(folded[k])
        }
        // Leading noise and connectives, repeatedly: 「，而据悉，…」.
        var start = 0
        var changed = true
        var rounds = 0
        while changed, rounds < 16 {
            changed = false
            rounds += 1
            while start < kept.count, leadingNoise.contains(keptFolded[start]) { start += 1; changed = true }
            if let c = connectives.longest(at: start, in: keptFolded), !(keptFolded[start] == "而" && c.range.count == 1
                && start + 1 < kept.count && keptFolded[start + 1] == "是") {
                start = c.range.upperBound
                changed = true
            }
            // 「答：」「Q：」: an interview's labels.
            if start + 1 < kept.count, "问答QA".unicodeScalars.contains(kept[start]), keptFolded[start + 1] == ":" {
                start += 2
                changed = true
            }
            // 「继…后，」: a clause about the earlier step.
            if start < kept.count, keptFolded[start] == "继" {
                if let h = keptFolded[start..<min(kept.count, start + 24)].firstIndex(of: "后"),
                   h + 1 < kept.count, SentenceSplitter.clauseBreaks.contains(keptFolded[h + 1]) {
                    start = h + 2
                    changed = true
                }
            }
            if let a = leftoverAnchors.longest(at: start, in: keptFolded) {
                start = a.range.upperBound
                changed = true
            }
        }
        var u = Array(kept[start...])
        if let actor, !actor.isEmpty {
            // 「它发布了…」 → 「栖远智能发布了…」: the anaphor gives way to the name.
            if let a = Discourse.anaphors.longest(at: start, in: keptFolded), a.tag != .both {
                u = Array(kept[a.range.upperBound...])
            }
            u = Array(actor.unicodeScalars) + u
        }
        u = balanced(u)
        u = withoutEmptyBrackets(u)
        u = commasBetweenIdeographs(u)
        while let f = u.first, leadingNoise.contains(f) { u.removeFirst() }
        while let l = u.last, trailingNoise.contains(l) { u.removeLast() }
        // 「文心大模型推出以来」: an anchor left at the end once its date went says nothing.
        for tail in trailingAnchors where u.count > tail.count + 4 && u.suffix(tail.count).elementsEqual(tail) {
            u.removeLast(tail.count)
            break
        }
        return shortened(u)
    }

    static let creditMarks = ScalarLexicon(words: ["作者", "编辑", "记者", "责编", "撰文", "来源", "出品", "策划", "监制",
                                                  "校对", "图", "文"])
    static let creditSeparators: Set<Unicode.Scalar> = ["|", "｜", "丨", "/"]
    static let nameEnd: Set<Unicode.Scalar> = [" ", "，", ",", "。", "；", ";"]

    /// 「作者｜张三 编辑｜李四」 and similar credit lines.
    static func dropBylines(_ f: [Unicode.Scalar], _ drop: inout [Bool]) {
        var i = 0
        while i < f.count {
            guard let m = creditMarks.longest(at: i, in: f) else { i += 1; continue }
            var j = m.range.upperBound
            while j < f.count, f[j] == " " { j += 1 }
            let oneChar = m.range.count == 1
            guard j < f.count, creditSeparators.contains(f[j]) || (f[j] == ":" && !oneChar),
                  !(oneChar && i > 0 && ChineseText.isIdeograph(f[i - 1])) else { i += 1; continue }
            j += 1
            // the name: up to the next space or break, at most 8 characters
            var n = 0
            while j < f.count, n < 8, !nameEnd.contains(f[j]) { j += 1; n += 1 }
            for k in i..<j { drop[k] = true }
            i = j
        }
    }

    static let agencies = ScalarLexicon(words: ["新华社", "中新社", "中新网", "中央社", "美联社", "路透社", "法新社", "彭博社"])

    /// 「（中央社記者…台北30日電）」「新华社北京5月21日电」「【本報訊】」: the wire's stamp, not the news.
    static func dropDatelines(_ f: [Unicode.Scalar], _ drop: inout [Bool]) {
        var i = 0
        while i < f.count {
            if f[i] == "（" || f[i] == "(" || f[i] == "【" || f[i] == "[" {
                let open = f[i]
                let isClose: (Unicode.Scalar) -> Bool = { c in
                    open == "【" ? c == "】" : open == "[" ? c == "]" : c == "）" || c == ")"
                }
                if let j = f[i..<min(f.count, i + 40)].firstIndex(where: isClose), j > i + 1 {
                    let last = f[j - 1]
                    var reporter = false
                    for k in (i + 1)..<(j - 1) where f[k] == "记" && f[k + 1] == "者" { reporter = true; break }
                    if last == "电" || last == "讯" || last == "报" || reporter {
                        for k in i...j { drop[k] = true }
                        i = j + 1
                        continue
                    }
                }
            }
            i += 1
        }
        // 「新华社北京5月21日电」 without brackets, at the start
        guard let a = agencies.longest(at: 0, in: f),
              let j = f[a.range.upperBound..<min(f.count, a.range.upperBound + 20)].firstIndex(of: "电") else { return }
        for k in 0...j { drop[k] = true }
        let k = j + 1
        // （记者…）right after the stamp
        if k < f.count, f[k] == "（" || f[k] == "(",
           let c = f[k..<min(f.count, k + 24)].firstIndex(where: { $0 == "）" || $0 == ")" }) {
            for m in k...c { drop[m] = true }
        }
    }

    static let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [("“", "”"), ("「", "」"), ("《", "》"), ("（", "）"), ("(", ")"),
                                                            ("『", "』"), ("【", "】"), ("‘", "’")]
    static let bracketMarks = ScalarSet(pairs.flatMap { [$0.0, $0.1] })

    /// Brackets and quotes whose partner is not in the title are dropped.
    static func balanced(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var u = input
        if u.contains(where: bracketMarks.contains) {
            for (open, close) in pairs where u.contains(open) || u.contains(close) {
                var depth = 0
                var out: [Unicode.Scalar] = []
                out.reserveCapacity(u.count)
                var openAt: [Int] = []
                for c in u {
                    if c == open { depth += 1; openAt.append(out.count) }
                    if c == close {
                        if depth == 0 { continue }
                        depth -= 1
                        openAt.removeLast()
                    }
                    out.append(c)
                }
                for k in openAt.reversed() { out.remove(at: k) }
                u = out
            }
        }
        // ASCII double quotes pair up in order; an odd last one goes.
        if u.filter({ $0 == "\"" }).count % 2 == 1, let last = u.lastIndex(of: "\"") { u.remove(at: last) }
        return u
    }

    static let reportVerbs = ScalarLexicon(words: ["表示", "称", "公布", "显示", "透露", "指出", "宣布", "介绍", "披露",
                                                  "认为", "说", "发现", "提到"])

    /// Whether the text just before `k` is a verb that introduces what follows.
    static func introducesReport(_ f: [Unicode.Scalar], before k: Int) -> Bool {
        for len in 1...2 where k - len >= 0 {
            if let hit = reportVerbs.longest(at: k - len, in: f, limit: k), hit.range.upperBound == k { return true }
        }
        return false
    }

    /// 「周四（）再出招」: brackets whose content went with a removed date go too.
    static func withoutEmptyBrackets(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var u: [Unicode.Scalar] = []
        for c in input {
            if let last = u.last, [("（", "）"), ("(", ")"), ("【", "】"), ("「", "」"), ("“", "”"), ("《", "》")]
                .contains(where: { $0.0 == last && $0.1 == c }) {
                u.removeLast()
                continue
            }
            u.append(c)
        }
        return u
    }

    /// 「阿里,腾讯」: an ASCII comma between Chinese characters becomes 「，」.
    static func commasBetweenIdeographs(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var u = input
        for k in u.indices where u[k] == "," {
            var a = k - 1
            while a >= 0, u[a] == " " { a -= 1 }
            var b = k + 1
            while b < u.count, u[b] == " " { b += 1 }
            if a >= 0, b < u.count, ChineseText.isIdeograph(u[a]), ChineseText.isIdeograph(u[b]) { u[k] = "，" }
        }
        return u
    }

    /// At most `limit` characters: cut at a clause break, else before a conjunction that starts a
    /// second predicate, else after the object of the first predicate (a closing quote or bracket,
    /// or before 的/和/与/等), else at the limit — never with an ellipsis.
    static func shortened(_ u: [Unicode.Scalar]) -> String {
        guard u.count > limit else { return String(String.UnicodeScalarView(u)) }
        // The first clause break (actor, predicate, object), else the last enumeration comma in reach. A clause
        // that ends in what introduces a report (「商汤集团也公布，」「数据显示，」) keeps its object: the next break.
        let breaks = (8..<min(limit, u.count)).filter { "，；：,;".unicodeScalars.contains(u[$0]) }
        let folded = LexiconFold.fold(u)
        var cut = breaks.first { k in !introducesReport(folded, before: k) }
        if cut == nil {
            cut = stride(from: min(limit, u.count - 1), through: 12, by: -1).first { u[$0] == "、" }
        }
        if cut == nil {
            for k in stride(from: min(limit, u.count - 2), through: 12, by: -1) {
                let two = String(String.UnicodeScalarView(u[k..<(k + 2)]))
                if ["并且", "以及", "同时", "并将", "并在", "并于", "并与", "并向", "此外"].contains(two) || u[k] == "并" && k > 12 {
                    cut = k
                    break
                }
            }
        }
        if cut == nil {
            for k in stride(from: limit, through: 12, by: -1) where k < u.count {
                if "”」》）)".unicodeScalars.contains(u[k - 1]) || "的和与及等以为在".unicodeScalars.contains(u[k]) {
                    cut = k
                    break
                }
            }
        }
        var out = Array(u[..<(cut ?? limit)])
        // never end inside a Latin word or a number
        if cut == nil {
            while let l = out.last, out.count > 12, ChineseText.isASCIILetter(l) || ChineseText.isDigit(l) || l == "." { out.removeLast() }
        }
        out = balanced(out)
        while let l = out.last, trailingNoise.contains(l) { out.removeLast() }
        return String(String.UnicodeScalarView(out))
    }
}
