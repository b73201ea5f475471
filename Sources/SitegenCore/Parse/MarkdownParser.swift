import CCmarkGFM
import Foundation

/// Stage 2, parse: Markdown to HTML and to plain-text blocks, through cmark-gfm with the GFM
/// extensions (tables, strikethrough, autolinks, task lists). Safe mode: raw HTML and
/// `javascript:` links never reach the page.
public struct MarkdownParser: Sendable {
    public init() {
        MarkdownParser.registerExtensions
    }

    /// cmark-gfm keeps a global extension registry; registering once per process is enough.
    private static let registerExtensions: Void = {
        cmark_gfm_core_extensions_ensure_registered()
    }()

    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist"]

    public func parse(_ article: ArticleSource) -> ParsedArticle {
        let options = CMARK_OPT_SOURCEPOS | CMARK_OPT_SMART * 0 | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else {
            return ParsedArticle(source: article, html: "", blocks: [], sectionTitles: [""])
        }
        defer { cmark_parser_free(parser) }
        for name in Self.extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        var body = article.body
        body.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { cbuf in
                cmark_parser_feed(parser, cbuf.baseAddress, cbuf.count)
            }
        }
        guard let doc = cmark_parser_finish(parser) else {
            return ParsedArticle(source: article, html: "", blocks: [], sectionTitles: [""])
        }
        defer { cmark_node_free(doc) }
        var html = ""
        if let cstr = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser)) {
            html = String(cString: cstr)
            free(cstr)
        }
        var collector = BlockCollector(lineOffset: article.bodyStartLine - 1)
        collector.walk(doc, tightItem: nil)
        return ParsedArticle(source: article, html: html, blocks: collector.blocks, sectionTitles: collector.sectionTitles)
    }
}

/// Walks the cmark tree and collects the text blocks extraction reads.
private struct BlockCollector {
    let lineOffset: Int
    var blocks: [TextBlock] = []
    var sectionTitles: [String] = [""]

    init(lineOffset: Int) { self.lineOffset = lineOffset }

    static func type(_ node: OpaquePointer) -> String {
        String(cString: cmark_node_get_type_string(node))
    }

    static func sourcePos(_ node: OpaquePointer) -> String {
        "\(cmark_node_get_start_line(node)):\(cmark_node_get_start_column(node))-\(cmark_node_get_end_line(node)):\(cmark_node_get_end_column(node))"
    }

    /// `tightItem`: the list item whose element shows a paragraph when the list is tight
    /// (cmark then renders no <p>, so the <li> carries the source position).
    mutating func walk(_ node: OpaquePointer, tightItem: OpaquePointer?, inQuote: Bool = false) {
        let t = Self.type(node)
        switch t {
        case "paragraph":
            let text = Self.plainText(node)
            if !InlineSpace.isBlank(text) {
                let pos = tightItem.map(Self.sourcePos) ?? Self.sourcePos(node)
                add(.init(index: blocks.count, kind: inQuote ? .quote : .paragraph, headingLevel: 0, text: text,
                          line: Int(cmark_node_get_start_line(node)) + lineOffset, htmlSourcePos: pos,
                          section: sectionTitles.count - 1))
            }
            return
        case "heading":
            let level = Int(cmark_node_get_heading_level(node))
            let text = Self.plainText(node)
            if level <= 2 { sectionTitles.append(text) }
            add(.init(index: blocks.count, kind: .heading, headingLevel: level, text: text,
                      line: Int(cmark_node_get_start_line(node)) + lineOffset, htmlSourcePos: Self.sourcePos(node),
                      section: sectionTitles.count - 1))
            return
        case "table_row":
            var cells: [String] = []
            var child = cmark_node_first_child(node)
            while let c = child {
                cells.append(Self.plainText(c))
                child = cmark_node_next(c)
            }
            add(.init(index: blocks.count, kind: .tableRow, headingLevel: 0, text: cells.joined(separator: "；"),
                      line: Int(cmark_node_get_start_line(node)) + lineOffset, htmlSourcePos: Self.sourcePos(node),
                      section: sectionTitles.count - 1))
            return
        case "code_block", "html_block", "thematic_break":
            return
        default:
            break
        }
        var nextTight = tightItem
        if t == "item" {
            let list = cmark_node_parent(node)
            nextTight = (list != nil && cmark_node_get_list_tight(list) != 0) ? node : nil
        }
        var child = cmark_node_first_child(node)
        while let c = child {
            walk(c, tightItem: nextTight, inQuote: inQuote || t == "block_quote")
            child = cmark_node_next(c)
        }
    }

    mutating func add(_ b: TextBlock) { blocks.append(b) }

    /// The text a reader sees: literals of text and code, soft breaks joined without a space
    /// between CJK characters (a PDF's line breaks are not word breaks in Chinese).
    static func plainText(_ node: OpaquePointer) -> String {
        var out = ""
        func visit(_ n: OpaquePointer) {
            let t = type(n)
            switch t {
            case "text", "code":
                if let lit = cmark_node_get_literal(n) { out += String(cString: lit) }
            case "softbreak":
                if let last = out.unicodeScalars.last, !ChineseText.isIdeograph(last) { out += " " }
            case "linebreak":
                out += "\n"
            case "html_inline":
                break
            default:
                var child = cmark_node_first_child(n)
                while let c = child {
                    visit(c)
                    child = cmark_node_next(c)
                }
            }
        }
        visit(node)
        return out
    }
}
