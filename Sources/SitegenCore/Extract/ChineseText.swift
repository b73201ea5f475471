/// Character-level helpers shared by the date grammar, sentence splitting and entity matching.
/// Everything works on Unicode scalars so offsets stay stable and comparisons stay cheap.
enum ChineseText {
    /// Folds a scalar to the form the grammars are written for: full-width ASCII to ASCII,
    /// ideographic space to space, and the Traditional characters that occur in date and
    /// sentence grammar to their Simplified forms. Always one scalar for one, so offsets survive.
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        fold(s, keys: traditionalKeys, table: traditional)
    }

    /// `fold` over a whole paragraph, with the tables looked up once instead of once per scalar
    /// (each access to a global table goes through a lazy-initialisation check).
    static func fold(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let keys = traditionalKeys, table = traditional
        return scalars.map { fold($0, keys: keys, table: table) }
    }

    @inline(__always)
    private static func fold(_ s: Unicode.Scalar, keys: ScalarSet, table: [UInt32: Unicode.Scalar]) -> Unicode.Scalar {
        let v = s.value
        if v >= 0xFF01 && v <= 0xFF5E { return Unicode.Scalar(v - 0xFEE0)! }
        if v == 0x3000 || v == 0x00A0 { return " " }
        // Every scalar of every text passes through here: the bitmap test keeps the dictionary (and
        // its hashing, 10% of `sitegen dates` when it was looked up for each scalar) to the few
        // characters that have an entry.
        if keys.contains(s), let t = table[v] { return t }
        return s
    }

    /// The Traditional characters `traditional` has an entry for.
    static let traditionalKeys = ScalarSet(traditional.keys.compactMap(Unicode.Scalar.init))

    static let traditional: [UInt32: Unicode.Scalar] = {
        let pairs: [(Character, Character)] = [
            ("週", "周"), ("後", "后"), ("個", "个"), ("當", "当"), ("來", "来"), ("間", "间"),
            ("號", "号"), ("兩", "两"), ("報", "报"), ("數", "数"), ("幾", "几"), ("時", "时"),
            ("於", "于"), ("從", "从"), ("與", "与"), ("為", "为"), ("發", "发"), ("佈", "布"),
            ("億", "亿"), ("萬", "万"), ("門", "门"), ("這", "这"), ("過", "过"), ("隨", "随"),
            ("應", "应"), ("進", "进"), ("則", "则"), ("並", "并"), ("業", "业"), ("開", "开"),
            ("號", "号"), ("屆", "届"), ("預", "预"), ("計", "计"), ("將", "将"), ("會", "会"),
            ("們", "们"), ("對", "对"), ("說", "说"), ("團", "团"), ("際", "际"), ("價", "价"),
            ("費", "费"), ("訟", "讼"), ("訴", "诉"), ("財", "财"), ("資", "资"), ("融", "融"),
            ("層", "层"), ("歲", "岁"), ("決", "决"), ("轉", "转"), ("達", "达"), ("億", "亿"),
            ("僅", "仅"), ("經", "经"), ("濟", "济"), ("產", "产"), ("學", "学"), ("術", "术"),
            ("網", "网"), ("絡", "络"), ("項", "项"), ("務", "务"), ("實", "实"), ("現", "现"),
            ("動", "动"), ("線", "线"), ("標", "标"), ("準", "准"), ("質", "质"), ("體", "体"),
            ("長", "长"), ("場", "场"), ("級", "级"), ("據", "据"), ("擬", "拟"), ("導", "导"),
            ("銷", "销"), ("營", "营"), ("收", "收"), ("續", "续"), ("佈", "布"), ("專", "专"),
            ("裡", "里"), ("裏", "里"), ("醫", "医"), ("療", "疗"), ("車", "车"), ("電", "电"),
            ("腦", "脑"), ("機", "机"), ("雲", "云"), ("測", "测"), ("試", "试"), ("問", "问"),
            ("題", "题"), ("語", "语"), ("視", "视"), ("頻", "频"), ("圖", "图"), ("像", "像"),
            ("聲", "声"), ("書", "书"), ("單", "单"), ("東", "东"), ("國", "国"), ("華", "华"),
            ("頭", "头"), ("條", "条"), ("訊", "讯"), ("騰", "腾"), ("里", "里"), ("巴", "巴"),
            ("飛", "飞"), ("訊", "讯"), ("義", "义"), ("韓", "韩"), ("歐", "欧"), ("區", "区"),
            ("總", "总"), ("統", "统"), ("領", "领"), ("導", "导"), ("創", "创"), ("辦", "办"),
            ("議", "议"), ("決", "决"), ("規", "规"), ("範", "范"), ("監", "监"), ("管", "管"),
            ("億", "亿"), ("鐘", "钟"), ("鍾", "钟"), ("點", "点"), ("億", "亿"), ("紀", "纪"),
            ("屆", "届"), ("舉", "举"), ("辦", "办"), ("啟", "启"), ("動", "动"), ("晉", "晋"),
            ("漲", "涨"), ("跌", "跌"), ("虧", "亏"), ("損", "损"), ("盈", "盈"), ("利", "利"),
            ("驅", "驱"), ("優", "优"), ("勢", "势"), ("戰", "战"), ("競", "竞"), ("爭", "争"),
            ("獲", "获"), ("得", "得"), ("輪", "轮"), ("億", "亿"), ("強", "强"), ("態", "态"),
            ("們", "们"), ("廠", "厂"), ("商", "商"), ("設", "设"), ("備", "备"), ("處", "处"),
            ("覺", "觉"), ("識", "识"), ("聯", "联"), ("盟", "盟"), ("協", "协"), ("會", "会"),
            // The date grammar's own words: weekdays (禮拜), 雙11, 日內, comparisons (較, 減, 縮, 擴), guards.
            ("禮", "礼"), ("雙", "双"), ("內", "内"), ("積", "积"), ("較", "较"), ("減", "减"), ("縮", "缩"),
            ("擴", "扩"), ("遲", "迟"), ("陸", "陆"), ("臨", "临"), ("貼", "贴"), ("親", "亲"), ("鄰", "邻"),
            ("遠", "远"), ("離", "离"), ("賽", "赛"), ("終", "终"), ("誕", "诞"), ("結", "结"), ("舊", "旧"),
            ("連", "连"), ("擇", "择"), ("帶", "带"), ("樣", "样"), ("員", "员"), ("稱", "称"), ("盤", "盘"),
            ("臺", "台"), ("噸", "吨"), ("隻", "只"),
        ]
        var table: [UInt32: Unicode.Scalar] = [:]
        for (t, s) in pairs where t != s {
            table[t.unicodeScalars.first!.value] = s.unicodeScalars.first!
        }
        // More frequent Traditional characters of business and technology news, position for position.
        let traditionalRun = Array("節麼無爲於們說時從與這來會學國對發動機電業開關問題種經濟產長將頭處點為實現進還應該當點據資價據記錄報導線務號館讓議選舉認證類產品牌廣貨幣銀幣險證劵訂購買賣營運輸送達轉換軟硬體鏈條數據庫雲計算網絡絡據傳聞訊息寫讀聽說觀視頻圖畫層級別標準規範質檢測試驗證總統計劃劃撥區縣鄉鎮門戶頁碼適應變遷構建築設計師傅練習課題專題項目團隊夥伴協會聯盟銷售額億萬兆")
        let simplifiedRun = Array("节么无为于们说时从与这来会学国对发动机电业开关问题种经济产长将头处点为实现进还应该当点据资价据记录报导线务号馆让议选举认证类产品牌广货币银币险证券订购买卖营运输送达转换软硬体链条数据库云计算网络络据传闻讯息写读听说观视频图画层级别标准规范质检测试验证总统计划划拨区县乡镇门户页码适应变迁构建筑设计师傅练习课题专题项目团队伙伴协会联盟销售额亿万兆")
        for (t, s) in zip(traditionalRun, simplifiedRun) where t != s {
            let tv = t.unicodeScalars.first!.value
            if table[tv] == nil { table[tv] = s.unicodeScalars.first! }
        }
        return table
    }()

    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
    static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }
    static func isIdeograph(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x20000 && v <= 0x2A6DF)
    }
    static func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" }

    /// Value of a Chinese numeral digit; 〇/零 are zero and 两 is two.
    static func chineseDigit(_ s: Unicode.Scalar) -> Int? {
        switch s {
        case "〇", "零", "○": 0
        case "一": 1
        case "二", "两": 2
        case "三": 3
        case "四": 4
        case "五": 5
        case "六": 6
        case "七": 7
        case "八": 8
        case "九": 9
        default: nil
        }
    }
}

/// A set of Unicode scalars as a bitmap over the Basic Multilingual Plane: membership is one
/// load and a mask, where `Set<Unicode.Scalar>` would hash every character of the text.
struct ScalarSet: Sendable {
    private var bits = [UInt64](repeating: 0, count: 1024)

    init<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        for s in scalars where s.value < 0x10000 { bits[Int(s.value >> 6)] |= 1 << UInt64(s.value & 63) }
    }

    init(_ string: String) { self.init(string.unicodeScalars) }

    @inline(__always)
    func contains(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x10000 && bits[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0
    }
}
