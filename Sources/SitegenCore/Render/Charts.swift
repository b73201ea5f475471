/// Build-time SVG charts: no scripts, no external resources, readable without JavaScript and
/// described for screen readers (role="img" with a title and a text summary).
enum Charts {
    struct Bar {
        var label: String
        var value: Int
        var url: String?
    }

    /// Events per month across the whole period, one bar per month (empty months kept, so gaps show).
    static func histogram(_ bars: [Bar], title: String, width: Int = 720, height: Int = 140, yearTicks: [(index: Int, label: String)] = []) -> String {
        guard !bars.isEmpty else { return "" }
        let maxValue = max(1, bars.map(\.value).max() ?? 1)
        let left = 28, bottom = 22, top = 8
        let plotW = width - left - 4
        let plotH = height - bottom - top
        let step = Double(plotW) / Double(bars.count)
        let barW = max(1.0, step * 0.8)
        var s = "<svg class=\"chart chart-histogram\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"hist-title\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<title id=\"hist-title\">\(HTML.escape(title))</title>"
        s += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(width - 4)\" y2=\"\(top + plotH)\"/>"
        s += "<text class=\"tick\" x=\"\(left - 4)\" y=\"\(top + 8)\" text-anchor=\"end\">\(maxValue)</text>"
        s += "<text class=\"tick\" x=\"\(left - 4)\" y=\"\(top + plotH)\" text-anchor=\"end\">0</text>"
        for (i, b) in bars.enumerated() {
            let h = Double(plotH) * Double(b.value) / Double(maxValue)
            let x = Double(left) + Double(i) * step + (step - barW) / 2
            let y = Double(top + plotH) - h
            let rect = "<rect class=\"bar\" x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(barW))\" height=\"\(fmt(h))\"><title>\(HTML.escape(b.label))：\(b.value) 件</title></rect>"
            if let url = b.url, b.value > 0 {
                s += "<a href=\"\(HTML.escape(url))\" aria-label=\"\(HTML.escape(b.label))：\(b.value) 件\">\(rect)</a>"
            } else {
                s += rect
            }
        }
        for t in yearTicks {
            let x = Double(left) + Double(t.index) * step
            s += "<line class=\"grid\" x1=\"\(fmt(x))\" y1=\"\(top)\" x2=\"\(fmt(x))\" y2=\"\(top + plotH + 4)\"/>"
            s += "<text class=\"tick\" x=\"\(fmt(x + 2))\" y=\"\(height - 6)\">\(HTML.escape(t.label))</text>"
        }
        return s + "</svg>"
    }

    struct Lane {
        var label: String
        var url: String
        /// Column index → count.
        var counts: [Int: Int]
    }

    /// Swimlanes: one row per entity, one column per period; a dot's area shows the number of events.
    static func swimlanes(_ lanes: [Lane], columns: Int, columnLabels: [(index: Int, label: String)], title: String, width: Int = 720) -> String {
        guard !lanes.isEmpty, columns > 0 else { return "" }
        let labelW = 120, rowH = 26, top = 8, bottom = 22
        let height = top + rowH * lanes.count + bottom
        let plotW = width - labelW - 8
        let step = Double(plotW) / Double(columns)
        let maxCount = max(1, lanes.flatMap { $0.counts.values }.max() ?? 1)
        var s = "<svg class=\"chart chart-swimlanes\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"lanes-title\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<title id=\"lanes-title\">\(HTML.escape(title))</title>"
        for (r, lane) in lanes.enumerated() {
            let y = top + r * rowH + rowH / 2
            s += "<line class=\"lane\" x1=\"\(labelW)\" y1=\"\(y)\" x2=\"\(width - 8)\" y2=\"\(y)\"/>"
            s += "<a href=\"\(HTML.escape(lane.url))\"><text class=\"lane-label\" x=\"\(labelW - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(HTML.escape(lane.label))</text></a>"
            for (c, n) in lane.counts.sorted(by: { $0.key < $1.key }) where n > 0 {
                let cx = Double(labelW) + (Double(c) + 0.5) * step
                let radius = 2.5 + 7.5 * (Double(n) / Double(maxCount)).squareRoot()
                s += "<circle class=\"dot\" cx=\"\(fmt(cx))\" cy=\"\(y)\" r=\"\(fmt(radius))\"><title>\(HTML.escape(lane.label))：\(n) 件</title></circle>"
            }
        }
        for t in columnLabels {
            let x = Double(labelW) + Double(t.index) * step
            s += "<line class=\"grid\" x1=\"\(fmt(x))\" y1=\"\(top)\" x2=\"\(fmt(x))\" y2=\"\(height - bottom + 4)\"/>"
            s += "<text class=\"tick\" x=\"\(fmt(x + 2))\" y=\"\(height - 6)\">\(HTML.escape(t.label))</text>"
        }
        return s + "</svg>"
    }

    static func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
