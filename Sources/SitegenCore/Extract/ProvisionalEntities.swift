/// Actors the catalogue does not know but the text plainly names: an organisation (「星云智能」
/// 「某某科技」「红杉资本」), a Latin-script model ("Nova-3 Pro"), a product in 《》. Each becomes a
/// provisional entity, shown as unconfirmed and listed by `sitegen check` as a suggested entry.
enum ProvisionalEntities {
    struct Found {
        var entity: Entity
        /// Clause-relative range of the name as written.
        var range: Range<Int>
        /// Whether it stands as an actor (before a predicate) or a released object.
        var acts = true
    }

    /// Endings that make a run of ideographs an organisation's name, with the kind they give.
    static let orgSuffixes: ScalarLexicon<EntityKind> = ScalarLexicon([
        ("科技", .company), ("智能", .company), ("集团", .company), ("公司", .company), ("资本", .company),
        ("基金", .company), ("创投", .company), ("半导体", .company), ("云", .company), ("微电子", .company), ("电子", .company),
        ("实验室", .organization), ("研究院", .organization), ("研究所", .organization),
    ])

    /// Characters that end a name going backwards: function words and measure words.
    static let nameStops = ScalarSet("的了和与及由在是被对向将把为从给让据称等、其该这那位个一多于已也还又都并而或及从同跟以所之每各某此本款项类种")

    /// Modifiers that are never a name on their own (「头部科技公司」, 「人工智能公司」).
    static let generic = ScalarLexicon(words: [
        "头部", "上市", "创业", "初创", "科技", "互联网", "人工智能", "大模型", "模型", "芯片", "半导体", "国内", "海外", "中国",
        "美国", "全球", "各大", "相关", "其他", "旗下", "母", "子", "合资", "明星", "独角兽", "龙头", "云", "软件", "硬件",
        "算力", "数据", "信息", "通信", "网络", "技术", "研究", "本土", "国产", "外资", "民营", "国有", "投资", "金融",
        "汽车", "电商", "游戏", "安全", "医疗", "教育", "智能", "生成式", "应用", "服务", "平台", "创新", "未来", "新兴",
        "知名", "领先", "老牌", "传统", "上游", "下游", "母公司", "子公司", "分公司", "控股", "股份", "有限", "机器人",
        "自动驾驶", "新能源", "光伏", "电池", "通用", "智慧", "数字", "大型", "中型", "小型", "中小", "美股", "港股", "台湾",
        "香港", "北京", "上海", "深圳", "杭州", "广州", "这些", "部分", "多数", "少数", "所有", "全部", "整个", "行业",
        "产业", "领域", "市场", "业务", "产品", "终端", "消费", "企业", "厂商", "巨头", "大厂", "新锐", "同类", "竞争",
        "对手", "合作", "伙伴", "客户", "供应", "代工", "封测", "晶圆", "存储", "光模块", "服务器", "云计算", "人形",
        "产业链", "概念", "个股", "板块", "成分", "相关", "参股", "关联", "科创", "创业板", "主板", "人工", "生成", "视觉",
        "语音", "搜索", "社交", "内容", "视频", "图像", "文本", "语言", "多模态", "具身", "计算", "芯", "大数据", "量子",
        "私有", "公有", "混合", "政务", "边缘", "专属", "政企", "上云", "混合云", "多云",
    ])

    /// Product-name endings for Latin-script names after the version: "Nova-3 Pro".
    static let modelSuffixes: Set<String> = ["pro", "max", "ultra", "mini", "plus", "turbo", "flash", "lite", "air", "nano",
                                             "instruct", "chat", "vision", "vl", "coder", "preview", "omni", "edge"]
    /// Latin words that take a number without being a model: units, standards, events, tickers.
    static let latinStops: Set<String> = ["top", "covid", "q", "h", "fy", "gb", "tb", "mb", "kb", "nm", "ghz", "mhz", "fp",
                                          "int", "pcie", "ddr", "lpddr", "hbm", "usb", "wi", "wifi", "mwc", "ces", "gtc",
                                          "wwdc", "wave", "no", "vol", "part", "ipv", "level", "l", "phase", "round",
                                          "series", "a", "b", "c", "d", "e", "day", "week", "sp", "s", "p", "rmb",
                                          "usd", "hkd", "twd", "eps", "roe", "pe", "pb", "gdp", "cpi", "pmi", "api",
                                          "sdk", "tokens", "token", "k", "m", "x", "iso", "gpt", "llm", "ai", "ar",
                                          "vr", "xr", "mr", "ios", "android", "windows", "macos", "linux", "cuda",
                                          "tops", "tflops", "pflops", "eflops", "fps", "mw", "gw", "kw", "w", "v",
                                          "page", "chapter", "section", "rank", "class", "grade", "type", "tier"]
    static let documentEndings = ScalarLexicon(words: [
        "办法", "规定", "条例", "意见", "通知", "报告", "白皮书", "蓝皮书", "指南", "规划", "方案", "法", "纲要", "决定",
        "标准", "纪要", "宣言", "倡议", "公约", "协议", "合同", "清单", "目录", "名单", "榜单", "榜", "报", "杂志", "日报",
        "周刊", "时报", "新闻", "研究", "分析", "论文", "书", "评论", "观察", "计划", "行动", "框架", "体系", "战略",
    ])

    /// The provisional actors of one clause: names in `original`/`folded` between `clause` bounds
    /// that no catalogue match covers, in subject or release-object position.
    static func find(original: [Unicode.Scalar], folded: [Unicode.Scalar], clause: Range<Int>,
                     known: [Range<Int>], dates: [Range<Int>], anyPosition: Bool = false) -> [Found] {
        var out: [Found] = []
        func covered(_ r: Range<Int>) -> Bool {
            known.contains { $0.overlaps(r) } || dates.contains { $0.overlaps(r) }
                || out.contains { $0.range.overlaps(r) }
        }
        func acting(after end: Int) -> Bool {
            // 「澄镜科技是一家大模型创业公司」: an introduction names an actor too.
            if introductions.longest(at: end, in: folded, limit: clause.upperBound) != nil { return true }
            var j = end
            var steps = 0
            while j < clause.upperBound, steps < 8 {
                if SentenceSplitter.clauseBreaks.contains(folded[j]) || folded[j] == "。" { return false }
                if Happening.predicates.longest(at: j, in: folded, limit: clause.upperBound) != nil { return true }
                if let d = dates.first(where: { $0.lowerBound == j }) { j = d.upperBound; continue }
                j += 1
                steps += 1
            }
            return false
        }
        /// 「推出AI写作应用《青柚写作》」「发布了新模型Nova-3 Pro」: the object of a release, a few words after its verb.
        func acts(after end: Int) -> Bool { anyPosition || acting(after: end) }
        func released(before start: Int) -> Bool {
            var k = start
            var steps = 0
            while k > clause.lowerBound, steps < 12, !SentenceSplitter.clauseBreaks.contains(folded[k - 1]) {
                for len in 2...3 where k - len >= clause.lowerBound {
                    if let hit = Happening.predicates.longest(at: k - len, in: folded, limit: k), hit.range.upperBound == k,
                       case .kind(let kind, _) = hit.tag, kind == .release || kind == .funding { return true }
                }
                k -= 1
                steps += 1
            }
            return false
        }

        // 《X》 products
        var i = clause.lowerBound
        while i < clause.upperBound {
            guard folded[i] == "《", let close = folded[(i + 1)..<clause.upperBound].firstIndex(of: "》") else { i += 1; continue }
            let inner = (i + 1)..<close
            i = close + 1
            guard (2...12).contains(inner.count), !covered(inner) else { continue }
            var isDocument = false
            for len in 1...3 where inner.count > len {
                if documentEndings.longest(at: close - len, in: folded, limit: close)?.range.upperBound == close {
                    isDocument = true
                }
            }
            guard !isDocument, released(before: inner.lowerBound - 1) || acts(after: close + 1) else { continue }
            let name = String(String.UnicodeScalarView(original[inner]))
            out.append(Found(entity: entity(name, folded: Array(folded[inner]), kind: .product), range: inner,
                             acts: !anyPosition || released(before: inner.lowerBound - 1) || acting(after: close + 1)))
        }

        // Latin-script model names: a word, a version, an optional edition.
        i = clause.lowerBound
        while i < clause.upperBound {
            guard ChineseText.isASCIILetter(folded[i]), i == clause.lowerBound || !isWordChar(folded[i - 1]) else { i += 1; continue }
            var j = i
            while j < clause.upperBound, ChineseText.isASCIILetter(folded[j]) { j += 1 }
            let word = String(String.UnicodeScalarView(folded[i..<j]))
            var k = j
            if k < clause.upperBound, folded[k] == "-" || folded[k] == " " { k += 1 }
            var v = k
            while v < clause.upperBound, ChineseText.isDigit(folded[v]) || folded[v] == "." && v > k { v += 1 }
            guard v > k, word.count >= 2, !latinStops.contains(word), original[i].properties.isUppercase else { i = max(j, i + 1); continue }
            if v < clause.upperBound, ChineseText.isASCIILetter(folded[v]), v + 1 >= clause.upperBound
                || !ChineseText.isASCIILetter(folded[v + 1]) { v += 1 }  // "Qwen2.5o"-like one-letter tags
            while v > k, folded[v - 1] == "." { v -= 1 }
            let version = String(String.UnicodeScalarView(folded[k..<v]))
            if let n = Int(version), n >= 1900 { i = v; continue }  // "MWC 2025": an event's year
            var end = v
            if end + 1 < clause.upperBound, folded[end] == " " || folded[end] == "-" {
                var e = end + 1
                while e < clause.upperBound, ChineseText.isASCIILetter(folded[e]) { e += 1 }
                if modelSuffixes.contains(String(String.UnicodeScalarView(folded[(end + 1)..<e]))) { end = e }
            }
            let r = i..<end
            i = end
            guard !covered(r), end >= clause.upperBound || !isWordChar(folded[end]) else { continue }
            guard acts(after: end) || released(before: r.lowerBound) else { continue }
            let name = String(String.UnicodeScalarView(original[r]))
            out.append(Found(entity: entity(name, folded: Array(folded[r]), kind: .product), range: r,
                             acts: !anyPosition || acting(after: end) || released(before: r.lowerBound)))
        }

        // Organisations: ideographs ending in a suffix, acting in the clause.
        i = clause.lowerBound
        while i < clause.upperBound {
            guard let suffix = orgSuffixes.longest(at: i, in: folded, limit: clause.upperBound) else { i += 1; continue }
            var end = suffix.range.upperBound
            // 「星云智能科技」: endings in a row make one name.
            while let more = orgSuffixes.longest(at: end, in: folded, limit: clause.upperBound) { end = more.range.upperBound }
            // 「…科技有限公司」「…集团股份有限公司」: the legal form belongs to the name.
            for tail in ["股份有限公司", "有限公司", "公司", "集团"] {
                let u = Array(tail.unicodeScalars)
                if end + u.count <= clause.upperBound, Array(folded[end..<(end + u.count)]) == u { end += u.count; break }
            }
            var start = suffix.range.lowerBound
            while start > clause.lowerBound, suffix.range.lowerBound - start < 6, ChineseText.isIdeograph(folded[start - 1]),
                  !nameStops.contains(folded[start - 1]), !covered((start - 1)..<start) {
                start -= 1
            }
            start = trimmedStart(folded, start, suffix.range.lowerBound)
            let base = start..<suffix.range.lowerBound
            // A run that is no name may still hold one further on (「星云」 is not, 「星云智能」 is).
            // 「向复杂智能应用迈进」: a run followed by a common noun is a modifier, not a name.
            guard base.count >= 2, !isGeneric(folded, base), !isPhrase(folded, base), !covered(start..<end),
                  modifierNouns.longest(at: end, in: folded, limit: clause.upperBound) == nil, acts(after: end)
            else { i += 1; continue }
            i = end
            let r = start..<end
            let name = String(String.UnicodeScalarView(original[r]))
            out.append(Found(entity: entity(name, folded: Array(folded[r]), kind: suffix.tag), range: r,
                             acts: !anyPosition || acting(after: end)))
        }
        // Public bodies: a place or country and the body (「美国劳工部」「国家数据局」「杭州市」).
        i = clause.lowerBound
        while i < clause.upperBound {
            guard let suffix = bodySuffixes.longest(at: i, in: folded, limit: clause.upperBound) else { i += 1; continue }
            let end = suffix.range.upperBound
            var start = suffix.range.lowerBound
            while start > clause.lowerBound, suffix.range.lowerBound - start < 4, ChineseText.isIdeograph(folded[start - 1]),
                  !nameStops.contains(folded[start - 1]), !covered((start - 1)..<start) {
                start -= 1
            }
            defer { i = max(end, i + 1) }
            start = trimmedStart(folded, start, suffix.range.lowerBound)
            let base = start..<suffix.range.lowerBound
            let minBase = suffix.tag ? 2 : 0
            if isPhrase(folded, base) { continue }
            guard base.count >= minBase, base.count + suffix.range.count >= 3, !covered(start..<end), acts(after: end)
            else { continue }
            let r = start..<end
            out.append(Found(entity: entity(String(String.UnicodeScalarView(original[r])), folded: Array(folded[r]),
                                            kind: .organization), range: r, acts: !anyPosition || acting(after: end)))
        }

        // People named after their title: 「局长刘烈宏」「创始人兼CEO周牧野」「首席执行官萨姆·奥尔特曼」.
        for hit in personTitles.hits(in: folded, range: clause) {
            var j = hit.range.upperBound
            // 「创始人兼CEO」: further titles joined by 兼.
            var rounds = 0
            while rounds < 3, j < clause.upperBound, folded[j] == "兼" || folded[j] == "、",
                  let more = personTitles.longest(at: j + 1, in: folded, limit: clause.upperBound) {
                j = more.range.upperBound
                rounds += 1
            }
            guard let r = personName(folded, from: j, limit: clause.upperBound), !covered(r), !covered(hit.range) else { continue }
            out.append(Found(entity: entity(String(String.UnicodeScalarView(original[r])), folded: Array(folded[r]),
                                            kind: .person), range: r))
        }
        return out.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Public bodies; `true` where the body needs a place or owner before it (「商务部」 alone is the
    /// catalogue's, 「美国商务部」 is another).
    static let bodySuffixes: ScalarLexicon<Bool> = ScalarLexicon([
        ("数据局", false), ("统计局", true), ("管理局", true), ("监管局", true), ("总局", true), ("委员会", true),
        ("交易所", true), ("协会", true), ("联盟", true), ("基金会", true), ("商务部", true), ("劳工部", true),
        ("国防部", true), ("财政部", true), ("外交部", true), ("司法部", true), ("能源部", true), ("经济部", true),
        ("数位部", true), ("数字部", true), ("工业与安全局", true), ("联邦贸易委员会", true), ("证券交易委员会", true),
        ("市政府", true), ("省政府", true), ("人民政府", true), ("金管会", true), ("国科会", true),
        ("联储", true), ("央行", true), ("法院", true), ("检察院", true), ("议会", true), ("国会", true), ("众议院", true),
        ("参议院", true), ("白宫", false),
    ] + cities.map { ($0, false) })

    /// Cities and provinces that act in industry news (funds, policies), written with 市/省.
    static let cities = [
        "北京市", "上海市", "深圳市", "杭州市", "广州市", "成都市", "武汉市", "南京市", "苏州市", "合肥市", "重庆市", "天津市",
        "西安市", "长沙市", "郑州市", "青岛市", "宁波市", "厦门市", "无锡市", "东莞市", "济南市", "福州市", "沈阳市", "大连市",
        "昆明市", "贵阳市", "南宁市", "乌兰察布市", "呼和浩特市", "台北市", "新北市", "台中市", "高雄市", "台南市", "桃园市",
        "新竹市", "广东省", "浙江省", "江苏省", "山东省", "四川省", "湖北省", "安徽省", "福建省", "贵州省", "河南省", "湖南省",
    ]

    /// Titles a person's name follows in news copy.
    static let personTitles = ScalarLexicon(words: [
        "董事长", "副董事长", "总裁", "副总裁", "高级副总裁", "总经理", "首席执行官", "首席技术官", "首席科学家", "首席财务官",
        "首席运营官", "首席产品官", "ceo", "cto", "coo", "cfo", "cso", "创始人", "联合创始人", "创办人", "执行长", "营运长",
        "技术长", "财务长", "局长", "副局长", "部长", "副部长", "主任", "副主任", "主席", "副主席", "总理", "总统",
        "候任总统", "副总统", "发言人", "新闻发言人", "负责人", "院长", "副院长", "校长", "分析师", "首席分析师", "研究员",
        "合伙人", "创始合伙人", "管理合伙人", "首席经济学家", "经济学家", "教授", "总监", "秘书长", "副秘书长",
        "市长", "省长", "议员", "大使", "特使", "董事", "总编辑", "主编", "掌门人", "掌舵人",
    ])

    static let surnames = ScalarSet("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")

    /// Characters that end a two-character name instead of being its third character.
    static let nameEnders = ScalarSet("日在于也等的和与及表称说将已曾对向则认指透介强坦回宣今昨明前近此为是并还又就都均亦更才再被把从由")

    /// A Chinese name (surname + one or two characters) or a transliterated one (「萨姆·奥尔特曼」).
    static func personName(_ f: [Unicode.Scalar], from j: Int, limit: Int) -> Range<Int>? {
        guard j < limit, ChineseText.isIdeograph(f[j]) else { return nil }
        // transliterated: ideographs joined by ·
        var k = j
        while k < limit, k - j < 12, ChineseText.isIdeograph(f[k]) || f[k] == "·" || f[k] == "・" { k += 1 }
        if let dot = f[j..<k].lastIndex(where: { $0 == "·" || $0 == "・" }) {
            // the last part stops before a predicate or a function word: 「萨姆·奥尔特曼宣布」
            var end = dot + 1
            while end < k, ChineseText.isIdeograph(f[end]) {
                if end > dot + 1, Happening.predicates.longest(at: end, in: f, limit: limit) != nil || nameEnders.contains(f[end]) {
                    break
                }
                end += 1
            }
            return end - j >= 3 && end > dot + 1 ? j..<end : nil
        }
        guard surnames.contains(f[j]), j + 1 < limit, ChineseText.isIdeograph(f[j + 1]), !nameEnders.contains(f[j + 1]) else {
            return nil
        }
        var end = j + 2
        if end < limit, ChineseText.isIdeograph(f[end]), !nameEnders.contains(f[end]),
           Happening.predicates.longest(at: end, in: f, limit: limit) == nil {
            end += 1
        }
        return j..<end
    }

    static let introductions = ScalarLexicon(words: ["是一家", "是家", "为一家", "是一间", "是一个", "是国内", "是全球",
                                                    "成立于", "创立于", "由", "总部位于"])

    /// Nouns a modifier stands before (「智能应用」「科技产品」): after them a run is no name.
    static let modifierNouns = ScalarLexicon(words: [
        "应用", "技术", "产品", "服务", "时代", "领域", "行业", "能力", "水平", "场景", "终端", "设备", "系统", "模型",
        "革命", "浪潮", "趋势", "方向", "产业", "经济", "化", "型", "类", "体", "感", "水准", "程度", "阶段", "生态",
        "厂商", "服务商", "平台", "计算", "端", "原生", "巨头", "大厂", "业务", "市场", "板块", "概念",
    ])

    /// Words after which a name starts: roles and earlier names (「老股东蓝驰创投」「智能体公司灵序科技」).
    static let nameStarts = ScalarLexicon(words: [
        "公司", "集团", "科技", "智能", "股东", "老股东", "投资方", "旗下", "母公司", "子公司", "开发商", "运营商", "厂商",
        "供应商", "服务商", "投资机构", "机构", "基金", "平台", "企业", "创业公司", "初创公司", "独角兽",
        "新创", "初创", "创企", "新锐", "明星", "专访", "对话", "报道", "来自", "加入", "孵化", "专注", "台湾", "大陆",
        "国内", "本土", "海外", "美国", "中国", "香港", "北京", "上海", "深圳", "杭州", "广州", "成都", "南京", "苏州",
    ])

    /// The start of the name: after the last role or earlier name inside the run.
    static func trimmedStart(_ f: [Unicode.Scalar], _ start: Int, _ end: Int) -> Int {
        var s = start
        var i = start
        while i < end {
            if let h = nameStarts.longest(at: i, in: f, limit: end), h.range.upperBound < end {
                s = h.range.upperBound
                i = h.range.upperBound
            } else {
                i += 1
            }
        }
        return s
    }

    /// A run that reads as a phrase, not a name: it holds a predicate, an anaphor or a time word.
    static func isPhrase(_ f: [Unicode.Scalar], _ base: Range<Int>) -> Bool {
        guard !base.isEmpty else { return false }
        if Happening.predicates.occurs(in: f, range: base) { return true }
        if Discourse.anaphors.occurs(in: f, range: base) { return true }
        if timeWords.occurs(in: f, range: base) { return true }
        return f[base].contains { ChineseText.chineseDigit($0) != nil || ChineseText.isDigit($0) }
    }

    static let timeWords = ScalarLexicon(words: ["当季", "今年", "去年", "明年", "当月", "本季", "季度", "年度", "上半年",
                                                "下半年", "当年", "同年", "本月", "上月", "今日", "昨日", "近日", "日前",
                                                "国资", "接近", "知情", "人士"])

    static func isWordChar(_ s: Unicode.Scalar) -> Bool { ChineseText.isASCIILetter(s) || ChineseText.isDigit(s) || s == "-" }

    /// Whether the name's base is made of generic modifiers only (「头部科技」, 「国内人工智能」).
    static func isGeneric(_ folded: [Unicode.Scalar], _ base: Range<Int>) -> Bool {
        var i = base.lowerBound
        var allGeneric = true
        while i < base.upperBound {
            if let hit = generic.longest(at: i, in: folded, limit: base.upperBound) {
                // Any generic word of two or more characters (「产业链」「上市」) makes a description.
                if hit.range.count >= 2 { return true }
                i = hit.range.upperBound
            } else {
                allGeneric = false
                i += 1
            }
        }
        return allGeneric
    }

    /// Ids are stable across articles and scripts: the folded name, so 「星雲智能」 and 「星云智能」 are one.
    static func entity(_ name: String, folded: [Unicode.Scalar], kind: EntityKind) -> Entity {
        let key = String(String.UnicodeScalarView(LexiconFold.fold(folded)))
        var slug = ""
        for s in key.unicodeScalars {
            if ChineseText.isASCIILetter(s) || ChineseText.isDigit(s) { slug.unicodeScalars.append(s) } else if !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        let asciiOnly = key.unicodeScalars.allSatisfy { $0.isASCII }
        let id = "new-" + (asciiOnly && !slug.isEmpty ? slug : StableHash.hex(StableHash.of(key), digits: 8))
        var e = Entity(id: id, name: name, kind: kind)
        e.isProvisional = true
        return e
    }
}
