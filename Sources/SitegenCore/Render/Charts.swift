/// Build-time SVG charts: no external resources, readable without JavaScript. Each has a title,
/// a legend, value ticks on a rounded scale, year ticks, a tooltip on every mark (`<title>`, and
/// app.js shows the same text on focus), and every mark is a link. app.js makes the marks one tab
/// stop with arrow keys inside; the pages put a data table beside each chart.
/// Drawn at 1:1 (text 12 px, never scaled down): narrow screens scroll, opening at the recent end.
enum Charts {
    struct Bar {
        var label: String
        var value: Int
        var url: String?
    }

    /// A mark spanning columns `first...last` (a quarter, a half, a year, a range).
    struct Span {
        var first: Int
        var last: Int
        var label: String
        var value: Int
        var url: String?
    }

    static let font = 12

    /// Ticks at 1, 2 or 5 × 10ⁿ, at most five above zero, the last at or above `maxValue`.
    static func ticks(_ maxValue: Int) -> [Int] {
        let m = max(1, maxValue)
        var step = 1
        while true {
            for f in [1, 2, 5] where (m + step * f - 1) / (step * f) <= 5 {
                let s = step * f
                return stride(from: 0, through: (m + s - 1) / s * s, by: s).map { $0 }
            }
            step *= 10
        }
    }

    static func legendWidth(_ items: [(cls: String, text: String)]) -> Int {
        items.reduce(0) { $0 + 30 + $1.text.unicodeScalars.count * font } - 12
    }

    /// `x`: where the legend starts; nil: ending at `right` (the recent end, where a phone opens).
    static func legend(_ items: [(cls: String, text: String)], x: Int? = nil, right: Int = 0, y: Int) -> String {
        var s = "<g class=\"legend\">"
        var at = x ?? max(0, right - legendWidth(items))
        for item in items {
            s += "<rect class=\"\(item.cls)\" x=\"\(at)\" y=\"\(y - 9)\" width=\"14\" height=\"9\"/>"
            s += "<text class=\"tick\" x=\"\(at + 18)\" y=\"\(y)\">\(HTML.escape(item.text))</text>"
            at += 30 + item.text.unicodeScalars.count * font
        }
        return s + "</g>"
    }

    static func link(_ url: String?, _ label: String, _ body: String) -> String {
        guard let url else { return body }
        return "<a href=\"\(HTML.escape(url))\" aria-label=\"\(HTML.escape(label))\">\(body)</a>"
    }

    /// Columns (months or quarters) as bars with a value axis; `spans`, if any, in a row of their
    /// own under the axis, stacked so none overlaps.
    static func histogram(_ bars: [Bar], spans: [Span] = [], title: String, id: String, height: Int = 150,
                          yearTicks: [(index: Int, label: String)] = [], barLegend: String = "每月事件数",
                          spanLegend: String = "跨月事件（季度、半年、全年、时段）") -> String {
        guard !bars.isEmpty else { return "" }
        // About 700 px wide on a desktop; never under 8 px a column (a long history scrolls).
        let columnWidth = max(8, min(28, 660 / bars.count))
        // Value labels on the right, by the recent end: a phone opens the chart there.
        let left = 8, right = 40, top = 26
        let plotW = bars.count * columnWidth
        let width = left + plotW + right
        let plotH = height - top - 24
        let axisY = top + plotH
        // Spans: greedy lanes, at most 4 (the rest go in the last).
        var laneEnds: [Int] = []
        var placed: [(Span, Int)] = []
        for sp in spans.sorted(by: { ($0.first, -$0.last) < ($1.first, -$1.last) }) {
            var lane = laneEnds.firstIndex { $0 < sp.first } ?? laneEnds.count
            if lane >= 4 { lane = 3 }
            if lane == laneEnds.count { laneEnds.append(sp.last) } else { laneEnds[lane] = max(laneEnds[lane], sp.last) }
            placed.append((sp, lane))
        }
        let laneH = 9
        let spanTop = axisY + 26
        let total = spans.isEmpty ? axisY + 24 : spanTop + laneEnds.count * (laneH + 3) + 4
        let scale = ticks(bars.map(\.value).max() ?? 0)
        let maxValue = scale.last ?? 1
        var s = "<svg class=\"chart chart-histogram\" width=\"\(width)\" height=\"\(total)\" viewBox=\"0 0 \(width) \(total)\""
        s += " aria-labelledby=\"\(id)-title\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<title id=\"\(id)-title\">\(HTML.escape(title))</title>"
        var legendItems = [(cls: "bar", text: barLegend)]
        if !spans.isEmpty { legendItems.append((cls: "span", text: spanLegend)) }
        s += legend(legendItems, right: left + plotW, y: 14)
        for v in scale {
            let y = Double(axisY) - Double(plotH) * Double(v) / Double(maxValue)
            s += "<line class=\"\(v == 0 ? "axis" : "grid")\" x1=\"\(left)\" y1=\"\(fmt(y))\" x2=\"\(left + plotW)\" y2=\"\(fmt(y))\"/>"
            s += "<text class=\"tick\" x=\"\(left + plotW + 5)\" y=\"\(fmt(y + 4))\">\(v)</text>"
        }
        for t in yearTicks {
            let x = left + t.index * columnWidth
            s += "<line class=\"year\" x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(axisY + 6)\"/>"
            let anchor = x + t.label.count * 8 > left + plotW ? "end" : "start"
            s += "<text class=\"tick\" x=\"\(anchor == "end" ? left + plotW : x + 2)\" y=\"\(axisY + 18)\" text-anchor=\"\(anchor)\">"
            s += "\(HTML.escape(t.label))</text>"
        }
        let barW = Double(columnWidth) * 0.8
        for (i, b) in bars.enumerated() {
            let h = Double(plotH) * Double(b.value) / Double(maxValue)
            let x = Double(left + i * columnWidth) + (Double(columnWidth) - barW) / 2
            let label = "\(b.label)：\(b.value) 件"
            // A full-height transparent target, so a short bar is easy to hover and click.
            let rect = "<rect class=\"hit\" x=\"\(fmt(x))\" y=\"\(top)\" width=\"\(fmt(barW))\" height=\"\(plotH)\"/>"
                + "<rect class=\"bar\" x=\"\(fmt(x))\" y=\"\(fmt(Double(axisY) - h))\" width=\"\(fmt(barW))\" height=\"\(fmt(h))\"/>"
                + "<title>\(HTML.escape(label))</title>"
            s += b.value > 0 ? link(b.url, label, rect) : "<g>\(rect)</g>"
        }
        for (sp, lane) in placed {
            let x = left + sp.first * columnWidth + 1
            let w = (sp.last - sp.first + 1) * columnWidth - 2
            let y = spanTop + lane * (laneH + 3)
            let label = "\(sp.label)：\(sp.value) 件"
            let body = "<rect class=\"span\" x=\"\(x)\" y=\"\(y)\" width=\"\(max(2, w))\" height=\"\(laneH)\" rx=\"3\"/>"
                + "<title>\(HTML.escape(label))</title>"
            s += link(sp.url, label, body)
        }
        return s + "</svg>"
    }

    struct Lane {
        var label: String
        var url: String
        /// Column index → count.
        var counts: [Int: Int]
        /// Column index → link for that column's events.
        var urls: [Int: String] = [:]
        var spans: [Span] = []
    }

    /// Swimlanes: one row per entity, one column per quarter; a dot's area shows the number of
    /// events, a bar under the lane a half-year or longer. Names stand at the right, the recent end.
    static func swimlanes(_ lanes: [Lane], columns: Int, columnLabels: [(index: Int, label: String)], title: String,
                          id: String, columnName: (Int) -> String) -> String {
        guard !lanes.isEmpty, columns > 0 else { return "" }
        let step = max(16, min(48, 560 / columns))
        let left = 8, labelW = 130, rowH = 28, top = 26, bottom = 24
        let plotW = columns * step
        let width = left + plotW + labelW
        let height = top + rowH * lanes.count + bottom
        let maxCount = max(1, lanes.flatMap { $0.counts.values }.max() ?? 1)
        var s = "<svg class=\"chart chart-swimlanes\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\""
        s += " aria-labelledby=\"\(id)-title\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<title id=\"\(id)-title\">\(HTML.escape(title))</title>"
        s += legend([(cls: "dot-key", text: "圆点：当季事件数"), (cls: "span", text: "半年、全年、时段")],
                    right: left + plotW, y: 14)
        for t in columnLabels {
            let x = left + t.index * step
            s += "<line class=\"grid\" x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(height - bottom + 4)\"/>"
            s += "<text class=\"tick\" x=\"\(x + 2)\" y=\"\(height - 6)\">\(HTML.escape(t.label))</text>"
        }
        for (r, lane) in lanes.enumerated() {
            let y = top + r * rowH + rowH / 2
            s += "<line class=\"lane\" x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\"/>"
            s += "<a href=\"\(HTML.escape(lane.url))\" aria-label=\"\(HTML.escape(lane.label))的时间线\">"
            s += "<text class=\"lane-label\" x=\"\(left + plotW + 8)\" y=\"\(y + 4)\">\(HTML.escape(lane.label))</text></a>"
            for sp in lane.spans {
                let x = left + sp.first * step + 2
                let w = (sp.last - sp.first + 1) * step - 4
                let label = "\(lane.label)，\(sp.label)：\(sp.value) 件"
                s += link(sp.url, label, "<rect class=\"span\" x=\"\(x)\" y=\"\(y + 7)\" width=\"\(max(2, w))\" height=\"5\" rx=\"2\"/>"
                    + "<title>\(HTML.escape(label))</title>")
            }
            for (c, n) in lane.counts.sorted(by: { $0.key < $1.key }) where n > 0 {
                let cx = Double(left) + (Double(c) + 0.5) * Double(step)
                let radius = 2.5 + 6.5 * (Double(n) / Double(maxCount)).squareRoot()
                let label = "\(lane.label)，\(columnName(c))：\(n) 件"
                s += link(lane.urls[c] ?? lane.url, label,
                          "<circle class=\"dot\" cx=\"\(fmt(cx))\" cy=\"\(y)\" r=\"\(fmt(radius))\"/><title>\(HTML.escape(label))</title>")
            }
        }
        return s + "</svg>"
    }

    static func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// A data table: the chart's numbers for screen readers and anyone who wants them.
    static func table(caption: String, head: [String], rows: [[String]], links: [String?] = []) -> String {
        var s = "<table class=\"chart-table\"><caption>\(HTML.escape(caption))</caption><thead><tr>"
        for h in head { s += "<th scope=\"col\">\(HTML.escape(h))</th>" }
        s += "</tr></thead><tbody>"
        for (k, r) in rows.enumerated() {
            s += "<tr>"
            for (c, v) in r.enumerated() {
                if c == 0 {
                    let text = HTML.escape(v)
                    let cell = k < links.count ? links[k].map { "<a href=\"\(HTML.escape($0))\">\(text)</a>" } ?? text : text
                    s += "<th scope=\"row\">\(cell)</th>"
                } else {
                    s += "<td>\(HTML.escape(v))</td>"
                }
            }
            s += "</tr>"
        }
        return s + "</tbody></table>"
    }
}
