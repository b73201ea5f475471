/// What makes a dated clause a happening, and which kind: the predicate lexicon, read on folded text
/// (`LexiconFold`), so Traditional clauses get the same verdicts and kinds as Simplified ones.
enum Happening {
    /// Predicates a clause can report a happening with. A kind is given where the word says it; the
    /// kinds' order of precedence is `kindOrder`.
    static let kindWords: [(EventKind, [String])] = [
        (.lawsuit, ["诉讼", "起诉", "侵权", "判决", "索赔", "提告", "控告", "告上法庭", "立案", "和解", "撤诉", "裁定", "败诉", "胜诉"]),
        (.policy, ["办法", "政策", "规定", "条例", "印发", "出台", "法案", "监管", "备案", "管理暂行", "征求意见", "指导意见",
                   "行动计划", "颁布", "施行", "生效", "实施方案", "出口管制", "实体清单", "禁令", "新规"]),
        (.funding, ["融资", "募资", "估值", "投资", "领投", "收购", "上市", "参投", "跟投", "注资", "入股", "增资", "递表",
                    "递交招股", "招股", "挂牌", "ipo", "并购", "轮融资", "天使轮", "募集", "认购", "配售"]),
        (.pricing, ["降价", "免费", "定价", "价格", "降至", "价格战", "调价", "涨价", "调降", "下调", "售价", "收费", "降幅"]),
        (.earnings, ["财报", "营收", "净利", "利润", "收入", "市值", "季报", "年报", "股价", "亏损", "毛利", "业绩", "月营收",
                     "出货量", "营业额", "收涨", "收跌", "涨停", "跌停", "市占率", "市场份额"]),
        (.release, ["发布", "推出", "上线", "问世", "亮相", "开源", "面世", "升级", "公测", "内测", "开放", "发表", "释出",
                    "上架", "开售", "发售", "推送", "更新", "迭代", "首发", "发布会"]),
        (.partnership, ["合作", "签约", "携手", "联合", "战略协议", "结盟", "牵手", "签署", "合作协议", "联手"]),
        (.forecast, ["预计", "预测", "有望", "将达", "将超", "或将"]),
    ]

    /// Predicates that report a discrete happening without saying its kind.
    static let plainPredicates: [String] = [
        "宣布", "公布", "成立", "获得", "完成", "达成", "实施", "启动", "提出", "入局", "跟进", "接入", "召开", "举办", "举行",
        "开幕", "闭幕", "落地", "开通", "开启", "部署", "交付", "量产", "采购", "中标", "创下", "刷新", "登顶", "夺得", "入选",
        "当选", "任命", "出任", "加入", "离职", "辞职", "卸任", "退出", "关闭", "停止", "暂停", "下架", "叫停", "裁员", "更名",
        "演示", "上涨", "下跌", "大涨", "大跌", "暴跌", "重挫", "飙升", "蒸发", "回落", "反弹", "走高", "走低", "收盘", "开盘",
        "批准", "获批", "审议", "发起", "回应", "披露", "确认", "否认", "澄清", "致歉", "道歉", "警告", "制裁", "列入", "调查",
        "约谈", "处罚", "罚款", "合并", "拆分", "分拆", "剥离", "重组", "建成", "开工", "投产", "动工", "签下", "拿下", "会面",
        "会谈", "访问", "出席", "参展", "提交", "申请", "递交", "入驻", "上榜", "获评", "获颁", "荣获", "斩获", "揭晓", "宣告",
        "表决", "否决", "驳回", "开庭", "涨", "跌", "售出", "售罄", "启用", "停用", "下线", "关停", "改名", "换帅", "减持",
        "增持", "回购", "分红", "派息", "进军", "落户", "开设", "设立", "迁移", "搬迁", "夺冠", "登场", "现身", "露面", "攻击",
        "泄露", "宕机", "故障", "中断", "召回", "放出", "解禁", "松绑", "收紧", "跌破", "站上", "创新高", "创新低", "授予",
        "颁发", "颁给", "获奖", "摘得", "写入", "纳入", "列为", "重构", "给出", "打响", "掀起", "引爆", "引发", "拉开",
        "获投", "获准", "通过审核", "通过审批", "正式通过", "签订", "缔结", "达成协议", "演讲", "登陆", "接任", "上调",
        "下修", "上修", "调高", "调低", "开放下载", "开放测试", "开卖", "预售", "降临", "到来", "首秀", "首映", "亮剑", "洽谈", "商谈", "谈判", "磋商",
        "传出", "切换", "换用", "改用", "登记", "注册成立", "曝出", "爆出", "官宣", "宣告", "公告", "通报", "通告", "出资", "押注", "加码", "注册成立", "诞生",
    ]

    /// Predicates of trends and states (增长, 扩大, 推动): a report when the clause has its own date,
    /// too weak for a clause whose date or actor is only carried over.
    static let weakPredicates: [String] = [
        "突破", "达到", "推动", "布局", "投入", "增长", "增至", "翻倍", "累计", "超过", "超越", "领先", "采用", "引入",
        "集成", "适配", "支持", "覆盖", "注册", "下载", "调用", "实现", "取得", "创造", "扩张", "拓展", "进入", "升至",
        "跌至", "回升", "下滑", "缩水", "萎缩", "扩大", "提升", "下降", "减少", "拥有", "带动", "拉动", "贡献", "占据",
        "位列", "排名", "测试", "试用", "展示", "通过", "恢复", "修复", "限制", "禁止", "招聘", "扩招", "邀请", "受邀",
        "开打", "开战", "反击", "起步", "入场", "放开", "开闸", "接受", "选择", "应用", "服务", "合作伙伴", "打造", "构建",
        "排除", "陷入", "面临", "遭遇", "迎来", "进行", "展开", "参与", "担任", "负责", "计划", "打算", "准备",
    ]

    /// Speech and opinion verbs: a report when the clause carries its own date (「3月5日，黄仁勋表示…」),
    /// never enough for a clause whose date or actor is only carried over.
    static let speechWords: [String] = ["表示", "称", "指出", "透露", "介绍", "强调", "宣称", "坦言", "回忆", "提到", "说",
                                        "认为", "表态", "发言", "演讲", "致辞", "致信", "发文", "撰文", "发帖", "喊话", "提醒", "分析", "预警", "呼吁", "建议"]

    enum Word: Sendable { case kind(EventKind, weak: Bool), plain, weak, speech }

    /// Kind words that name a figure or a state rather than a step (估值, 营收, 市值): weak.
    static let weakKindWords: Set<String> = ["估值", "投资", "价格", "营收", "净利", "利润", "收入", "市值", "亏损", "毛利",
                                             "业绩", "月营收", "出货量", "营业额", "市占率", "市场份额", "监管", "政策",
                                             "开放", "更新", "迭代", "合作", "联合", "预计", "预测", "有望", "将达", "将超",
                                             "或将", "免费", "规定"]

    static let predicates: ScalarLexicon<Word> = {
        var entries: [(String, Word)] = []
        for w in speechWords { entries.append((w, .speech)) }
        for w in weakPredicates { entries.append((w, .weak)) }
        for w in plainPredicates { entries.append((w, .plain)) }
        // Kind words last, so where a word is listed twice its kind wins.
        for (k, words) in kindWords { for w in words { entries.append((w, .kind(k, weak: weakKindWords.contains(w)))) } }
        return ScalarLexicon(entries)
    }()

    static let kindOrder: [EventKind] = [.lawsuit, .policy, .funding, .pricing, .earnings, .release, .partnership, .forecast]

    struct Verdict {
        var kind: EventKind?
        /// A predicate that reports a happening (not only speech).
        var hasPredicate: Bool
        /// A predicate of a discrete step (发布, 宣布, 跌), not only a trend or state (增长, 推动).
        var hasStrongPredicate: Bool
        var hasSpeech: Bool
        /// Offset of the first predicate (speech included) in the clause, for subject tests.
        var firstPredicate: Int?
    }

    static func assess(_ folded: [Unicode.Scalar], range: Range<Int>) -> Verdict {
        var kinds: UInt16 = 0
        var predicate = false, strong = false, speech = false
        var first: Int?
        var i = range.lowerBound
        while i < range.upperBound {
            guard let hit = predicates.longest(at: i, in: folded, limit: range.upperBound) else { i += 1; continue }
            switch hit.tag {
            case .kind(let k, let weak):
                kinds |= 1 << UInt16(kindOrder.firstIndex(of: k) ?? 15)
                predicate = true
                if !weak { strong = true }
            case .plain: predicate = true; strong = true
            case .weak: predicate = true
            case .speech: speech = true
            }
            if first == nil { first = hit.range.lowerBound - range.lowerBound }
            i = hit.range.upperBound
        }
        let kind = kindOrder.indices.first { kinds & (1 << UInt16($0)) != 0 }.map { kindOrder[$0] }
        return Verdict(kind: kind, hasPredicate: predicate, hasStrongPredicate: strong,
                       hasSpeech: speech, firstPredicate: first)
    }

    /// Measure words and units a figure ends in.
    static let units = ScalarSet("万亿%倍元次个款家人台张项起笔座例名位件份部套块颗枚辆美港股分成")

    /// A number with a unit (「15亿次」「3.2倍」「9%」): the clause reports a figure.
    static func hasFigure(_ folded: [Unicode.Scalar], range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            if ChineseText.isDigit(folded[i]) || ChineseText.chineseDigit(folded[i]) != nil && folded[i] != "一" {
                var j = i + 1
                while j < range.upperBound, ChineseText.isDigit(folded[j]) || folded[j] == "." || folded[j] == ","
                    || ChineseText.chineseDigit(folded[j]) != nil { j += 1 }
                while j < range.upperBound, folded[j] == " " { j += 1 }
                if j < range.upperBound, units.contains(folded[j]) || ChineseText.isASCIILetter(folded[j]) && j > i + 1 {
                    return true
                }
                i = j
            } else {
                i += 1
            }
        }
        return false
    }

    /// Commentary and background: a clause with one of these says what someone thinks or that
    /// nothing is known yet, not that something happened.
    static let commentary = ScalarLexicon(words: [
        "截至发稿", "截止发稿", "暂无回应", "未回应", "未予回应", "不予置评", "拒绝置评", "未作回应", "没有回应", "未置评",
        "暂未回应", "尚未回应", "未作出回应", "大概是", "或许是", "也许", "似乎", "不得而知", "仍是未知数", "有待观察",
        "值得关注的是", "值得注意的是", "毋庸置疑", "众所周知", "不难看出", "可以说", "可见", "意味着", "换句话说",
        "业内人士认为", "分析认为", "分析师认为", "分析人士认为", "有观点认为", "业界认为", "外界认为", "市场认为",
        "专家认为", "观察人士", "在业内看来", "在他看来", "在她看来", "有分析指出", "有业内人士", "有媒体报道称",
    ])

    /// 「是…之一」: a ranking of the actor among others, not a happening.
    static func isOneOf(_ folded: [Unicode.Scalar], range: Range<Int>) -> Bool {
        let s = folded[range]
        guard let yi = s.lastIndex(of: "一"), yi > s.startIndex, folded[yi - 1] == "之" else { return false }
        guard let shi = s.firstIndex(of: "是"), shi < yi - 1 else { return false }
        // 「成为…之一」「跻身…之一」 report a change; only the copula is background.
        return !assess(folded, range: range.lowerBound..<shi).hasPredicate
    }

    static let opinionWords = ScalarLexicon(words: ["认为", "看来", "觉得", "相信", "判断", "直言", "感慨", "坦承"])

    /// A clause whose first verb is an opinion (「…认为，…」) reports a view, not a happening.
    static func isOpinion(_ folded: [Unicode.Scalar], range: Range<Int>) -> Bool {
        guard let first = predicates.first(in: folded, range: range) ?? nil,
              let op = opinionWords.first(in: folded, range: range) else { return opinionWords.occurs(in: folded, range: range)
                && !assess(folded, range: range).hasPredicate }
        return op.range.lowerBound <= first.range.lowerBound
    }

    static let forecastWords = ScalarLexicon(words: ["预计", "预测", "有望", "将达", "将超", "或将", "将会", "预期", "展望",
                                                    "计划", "拟", "即将", "将于", "将在", "将推出", "将发布", "准备",
                                                    "打算", "筹备", "目标是"])
    static let followUpWords = ScalarLexicon(words: ["随后", "跟进", "回应", "此后", "紧随其后", "相继", "紧接着", "随即"])
}
