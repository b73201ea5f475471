"""Validates sitegen's feeds, exports and page metadata (issue 8) with independent parsers.

Runs the built CLI ($SITEGEN_BIN, default .build/debug/sitegen) on
  * the real content/ (copied to a temp folder, so no cache lands in the repo), and
  * a generated corpus of a few dozen synthetic articles with dates and entities,
each once with the site's own base_url and once with --base-url https://host/timeline/
(sub-path deployment), and checks every file with a parser that is not sitegen's:
feedparser and RELAX NG (Atom), jsonschema (JSON Feed, TimelineJS, JSON Graph, JSON-LD),
icalendar, csv, lxml + XSD and xml.etree (sitemap, GEXF), networkx (GEXF), urllib.robotparser.

    pip install -r tests/python/requirements.txt
    swift build && python -m pytest tests/python -q
"""

import calendar
import csv
import datetime as dt
import filecmp
import html
import html.parser
import io
import json
import os
import random
import re
import shutil
import subprocess
import urllib.parse
import urllib.robotparser
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import networkx
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).resolve().parent / "schemas"
SUB_PATH_BASE = "https://host/timeline/"
CORPUS_BASE = "https://corpus.example/"
# The generated corpus sets a small feed_limit, so the feeds there carry fewer entries than the site has.
CORPUS_FEED_LIMIT = 20
DEFAULT_FEED_LIMIT = 100
SITEMAP_MAX_URLS = 50000
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
GEXF = "{http://gexf.net/1.3}"
RELATIONS = {"mentions", "reported_by", "parent_of", "follows_up", "same_entity_next"}


def sitegen_bin():
    path = os.environ.get("SITEGEN_BIN") or str(ROOT / ".build" / "debug" / "sitegen")
    if not Path(path).exists():
        pytest.fail(f"sitegen binary not found at {path}: run `swift build` first or set SITEGEN_BIN")
    return path


# ---------------------------------------------------------------------------------------------
# The generated corpus


ENTITIES = [
    ("bytedance", "字节跳动", "company", None),
    ("doubao", "豆包", "product", "bytedance"),
    ("alibaba", "阿里巴巴", "company", None),
    ("qwen", "通义千问", "product", "alibaba"),
    ("baidu", "百度", "company", None),
    ("ernie", "文心一言", "product", "baidu"),
    ("tencent", "腾讯", "company", None),
    ("hunyuan", "混元", "product", "tencent"),
    ("openai", "OpenAI", "company", None),
    ("chatgpt", "ChatGPT", "product", "openai"),
    ("moonshot", "月之暗面", "company", None),
    ("kimi", "Kimi", "product", "moonshot"),
    ("zhipu", "智谱", "company", None),
    ("li-yanhong", "李彦宏", "person", None),
    ("cac", "国家网信办", "organization", None),
]
COMPANIES = [e for e in ENTITIES if e[2] == "company"]
PRODUCTS = [e for e in ENTITIES if e[2] == "product"]
# Text that must survive every format: XML/HTML specials, CSV and ICS separators, a backslash.
HOSTILE = ["A&B", "“引号”与\"直引号\"", "逗号,分号;冒号:", "反斜杠\\\\符号", "<尖括号>", "percent%20sign"]
CN_NUM = "一二三四"


def date_phrase(rng, year):
    """A date at a random precision, as a Chinese article would write it."""
    m, d = rng.randint(1, 11), rng.randint(1, 26)
    kind = rng.choice(["day", "day", "day", "month", "month_mod", "quarter", "half", "year", "year_end",
                       "range", "day_range"])
    return {
        "day": f"{year}年{m}月{d}日",
        "month": f"{year}年{m}月",
        "month_mod": f"{year}年{m}月{rng.choice(['初', '中旬', '底'])}",
        "quarter": f"{year}年第{CN_NUM[rng.randint(0, 3)]}季度",
        "half": f"{year}年{rng.choice(['上半年', '下半年'])}",
        "year": f"{year}年",
        "year_end": f"{year}年底",
        "range": f"{year}年{m}月底至{m + 1}月",
        "day_range": f"{year}年{m}月{d}日至{d + 2}日",
    }[kind]


def sentence(rng, year):
    company = rng.choice(COMPANIES)
    product = rng.choice(PRODUCTS)
    other = rng.choice([c for c in COMPANIES if c != company])
    hostile = rng.choice(HOSTILE)
    when = date_phrase(rng, year)
    return rng.choice([
        f"{when}，{product[1]}发布新一代大模型，支持“{hostile}”等新能力。",
        f"{when}，{company[1]}宣布旗下大模型降价，{product[1]}价格降至每千Tokens 0.0008元。",
        f"{when}，{company[1]}完成新一轮融资，估值超过百亿元，资金将投入大模型研发。",
        f"{when}，{company[1]}与{other[1]}宣布合作，共同推进大模型在{hostile}场景的应用。",
        f"{when}，国家网信办发布大模型备案信息，{product[1]}通过备案。",
        f"{when}，李彦宏宣布{product[1]}大模型用户数突破一亿。",
    ])


def write_corpus(folder: Path, articles=36, seed=8):
    rng = random.Random(seed)
    (folder / "articles").mkdir(parents=True)
    (folder / "site.yml").write_text(
        "title: 合成时间线\n"
        "description: 用生成的文章测试导出文件，含 & < > \" 等字符\n"
        "language: zh-CN\n"
        f"base_url: {CORPUS_BASE}\n"
        "author: 测试编辑部\n"
        f"feed_limit: {CORPUS_FEED_LIMIT}\n", encoding="utf-8")
    lines = []
    for eid, name, kind, parent in ENTITIES:
        lines += [f"- id: {eid}", f"  name: {name}", f"  kind: {kind}"]
        if parent:
            lines.append(f"  parent: {parent}")
    (folder / "entities.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for n in range(articles):
        year = rng.choice([2023, 2024])
        pub = dt.date(year, 12, rng.randint(1, 28))
        title = f"合成文章{n + 1}：大模型{rng.choice(HOSTILE)}"
        front = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"date: {pub.isoformat()}"]
        if n % 3:
            front.append(f"source: {rng.choice(['测试日报', '合成周刊', '样本通讯社'])}")
        if n % 4 == 1:
            front.append(f"source_url: \"https://news.example.com/a?id={n}&from=feed\"")
        if n % 5 == 2:
            front.append("author: [张三, 李四]")
        if n % 2:
            front.append(f"summary: {json.dumps('摘要：' + rng.choice(HOSTILE), ensure_ascii=False)}")
        front.append("tags: [大模型, 测试]")
        front.append("---")
        body = [sentence(rng, year) for _ in range(rng.randint(2, 5))]
        if n == 0:
            body.append("2024年11月18日，百度宣布文心一言大模型升级，这是一段故意写得很长很长的句子，用来检查日历文件按七十五个八位组折行时不会把多字节的中文字符拆开，也检查其他格式的长文本。")
        name = "合成-中文文件名.md" if n == 1 else f"synthetic-{n + 1:02d}.md"
        (folder / "articles" / name).write_text("\n".join(front) + "\n" + "\n\n".join(body) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Builds


class Site:
    def __init__(self, name, out: Path, base: str, feed_limit=DEFAULT_FEED_LIMIT):
        self.name = name
        self.out = out
        self.base = base
        self.feed_limit = feed_limit
        self.data = json.loads(self.read("data/events.json"))
        self.events = self.data["events"]
        self.entities = {e["id"]: e for e in self.data["entities"]}
        self.articles = {a["slug"]: a for a in self.data["articles"]}

    def read(self, path):
        return (self.out / path).read_text(encoding="utf-8")

    def bytes(self, path):
        return (self.out / path).read_bytes()

    def url(self, path):
        """The absolute URL sitegen should give an output path."""
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        return self.base + urllib.parse.quote(path, safe="/-._~")

    def file_for(self, url):
        """The output file an absolute URL of this site points at, or None when it is elsewhere."""
        url = url.split("#", 1)[0].split("?", 1)[0]
        if not url.startswith(self.base):
            return None
        rel = urllib.parse.unquote(url[len(self.base):])
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        return self.out / rel

    def html_pages(self):
        return sorted(p for p in self.out.rglob("*.html"))


def base_url_of(content: Path):
    m = re.search(r"^base_url:\s*(\S+)", (content / "site.yml").read_text(encoding="utf-8"), re.M)
    base = m.group(1).strip("\"'")
    return base if base.endswith("/") else base + "/"


def feed_limit_of(content: Path):
    m = re.search(r"^feed_limit:\s*(\S+)", (content / "site.yml").read_text(encoding="utf-8"), re.M)
    return int(m.group(1).strip("\"'")) if m else DEFAULT_FEED_LIMIT


def build(tmp: Path, content: Path, base=None, name="site"):
    out = tmp / "public"
    cmd = [sitegen_bin(), "build", "--content", str(content), "--templates", str(ROOT / "Templates"),
           "--output", str(out), "--quiet"]
    if base:
        cmd += ["--base-url", base]
    r = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"sitegen build failed:\n{r.stdout}\n{r.stderr}"
    return Site(name, out, base or base_url_of(content), feed_limit_of(content))


SITES = ["content", "content-subpath", "corpus", "corpus-subpath"]
_built = {}


@pytest.fixture(scope="module", params=SITES)
def site(request, tmp_path_factory):
    name = request.param
    if name not in _built:
        tmp = tmp_path_factory.mktemp(name)
        content = tmp / "content"
        if name.startswith("content"):
            shutil.copytree(ROOT / "content", content)
        else:
            write_corpus(content)
        _built[name] = build(tmp, content, SUB_PATH_BASE if name.endswith("subpath") else None, name)
    return _built[name]


# ---------------------------------------------------------------------------------------------
# Dates, as the formats should carry them


def period(value):
    """First and last day of a contract value: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn, YYYY-Www."""
    y = int(value[:4])
    rest = value[5:]
    if not rest:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if rest.startswith("Q"):
        q = int(rest[1:])
        return dt.date(y, 3 * q - 2, 1), dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
    if rest.startswith("H"):
        return (dt.date(y, 1, 1), dt.date(y, 6, 30)) if rest == "H1" else (dt.date(y, 7, 1), dt.date(y, 12, 31))
    if rest.startswith("W"):
        first = dt.date.fromisocalendar(y, int(rest[1:]), 1)
        return first, first + dt.timedelta(days=6)
    if len(rest) == 2:
        m = int(rest)
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    d = dt.date.fromisoformat(value)
    return d, d


def span(event):
    first = period(event["date"])[0]
    last = period(event["end"] or event["date"])[1]
    if last < first:
        last = period(event["date"])[1]
    return first, last


def iso8601(value, last=False):
    """schema.org date at the value's precision (quarters and halves as months)."""
    if re.search(r"-[QH]\d$", value):
        d = period(value)[1 if last else 0]
        return f"{d.year:04d}-{d.month:02d}"
    return value


def timeline_date(value, last=False):
    y = int(value[:4])
    rest = value[5:]
    if not rest:
        return {"year": y}
    if rest[0] in "QH":
        d = period(value)[1 if last else 0]
        return {"year": d.year, "month": d.month}
    if rest[0] == "W":
        d = period(value)[1 if last else 0]
        return {"year": d.year, "month": d.month, "day": d.day}
    if len(rest) == 2:
        return {"year": y, "month": int(rest)}
    d = dt.date.fromisoformat(value)
    return {"year": d.year, "month": d.month, "day": d.day}


def main_entity(site, event):
    ids = event["entities"] + event["implied_entities"]
    products = [i for i in ids if site.entities.get(i, {}).get("kind") == "product"]
    pick = (products or ids or [None])[0]
    return site.entities[pick]["name"] if pick else None


def schema(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def validate_json(instance, schema_name):
    s = schema(schema_name)
    cls = jsonschema.validators.validator_for(s)
    cls.check_schema(s)
    errors = sorted(cls(s).iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


# ---------------------------------------------------------------------------------------------
# Atom feeds


def sort_day(event):
    """The day an event is placed on the timeline: its period's first day, or nine tenths of the
    way through for 底/末 (END) and 45% for 中 (MID)."""
    first, last = (d.toordinal() for d in period(event["date"]))
    frac = {"END": (9, 10), "MID": (9, 20)}.get(event["mod"])
    return first + (last - first) * frac[0] // frac[1] if frac else first


def newest_events(site):
    """The events a feed carries: the newest feed_limit, newest first."""
    newest = list(reversed(site.events))[: site.feed_limit]
    assert len(newest) == min(site.feed_limit, len(site.events))
    if site.name.startswith("corpus"):
        assert len(site.events) > site.feed_limit, "the corpus has more events than its feed_limit"
    return newest


def test_feeds_carry_only_the_newest_entries(site):
    """Each feed carries min(feed_limit, all) entries, and nothing left out is newer than what is in."""
    feed = feedparser.parse(site.bytes("atom.xml"))
    shown = {urllib.parse.unquote(e.link[len(site.base):]).removeprefix("events/").removesuffix(".html") for e in feed.entries}
    assert len(shown) == min(site.feed_limit, len(site.events))
    in_days = [sort_day(ev) for ev in site.events if ev["id"] in shown]
    out_days = [sort_day(ev) for ev in site.events if ev["id"] not in shown]
    assert not out_days or max(out_days) <= min(in_days)
    items = json.loads(site.read("feed.json"))["items"]
    assert len(items) == len(feed.entries)
    articles = feedparser.parse(site.bytes("articles.xml")).entries
    assert len(articles) == min(site.feed_limit, len(site.articles))
    carried = {e.published[:10] for e in articles}
    left_out = sorted(a["date"] for a in site.articles.values())[: len(site.articles) - len(articles)]
    assert not left_out or max(left_out) <= min(carried)
    if site.name.startswith("corpus"):
        assert len(feed.entries) == len(articles) == CORPUS_FEED_LIMIT


def relax_ng_validate(path):
    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    doc = etree.parse(str(path))
    assert rng.validate(doc), str(rng.error_log)


def test_events_atom_feed(site):
    relax_ng_validate(site.out / "atom.xml")
    feed = feedparser.parse(site.bytes("atom.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title.endswith("：事件")
    links = {l.rel: l.href for l in feed.feed.links}
    assert links["self"] == site.base + "atom.xml"
    assert links["alternate"] == site.base
    # Newest first: the exact reverse of the chronological events.json order, cut at feed_limit.
    newest = newest_events(site)
    assert [e.link for e in feed.entries] == [site.url(f"events/{ev['id']}.html") for ev in newest]
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids))
    for entry, ev in zip(feed.entries, newest, strict=True):
        assert entry.id == site.url(f"events/{ev['id']}.html")
        assert ev["title"] in entry.title
        related = {l.href for l in entry.links if l.rel == "related"}
        expected = {site.url(f"articles/{s['article']}/index.html") + f"#e-{ev['id']}" for s in ev["sources"]}
        assert related == expected, "each entry links to the articles that report it"
        pub = dt.datetime.fromisoformat(entry.published.replace("Z", "+00:00"))
        upd = dt.datetime.fromisoformat(entry.updated.replace("Z", "+00:00"))
        dates = sorted(site.articles[s["article"]]["date"] for s in ev["sources"])
        assert pub.date().isoformat() == dates[0] and upd.date().isoformat() == dates[-1]
        assert entry.summary == ev["sources"][0]["quote"]
        assert {t.term for t in entry.get("tags", [])} == set(ev["entities"] + ev["implied_entities"])
        assert entry.content[0].type == "text/html"


def test_articles_atom_feed(site):
    relax_ng_validate(site.out / "articles.xml")
    feed = feedparser.parse(site.bytes("articles.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == min(site.feed_limit, len(site.articles))
    published = [e.published for e in feed.entries]
    assert published == sorted(published, reverse=True), "newest first"
    by_link = {a["slug"]: a for a in site.articles.values()}
    for e in feed.entries:
        slug = urllib.parse.unquote(e.link[len(site.base):]).removeprefix("articles/").rstrip("/")
        a = by_link[slug]
        assert e.title == a["title"]
        assert e.published.startswith(a["date"])
        via = [l.href for l in e.links if l.rel == "via"]
        if a["source_url"] and a["source_url"].startswith("http"):
            assert via == [a["source_url"]]
        assert site.file_for(e.link).exists()


# ---------------------------------------------------------------------------------------------
# JSON Feed


def test_json_feed(site):
    feed = json.loads(site.read("feed.json"))
    validate_json(feed, "jsonfeed-1.1.schema.json")
    assert feed["feed_url"] == site.base + "feed.json"
    assert feed["home_page_url"] == site.base
    newest = newest_events(site)
    assert [i["url"] for i in feed["items"]] == [site.url(f"events/{ev['id']}.html") for ev in newest]
    for item, ev in zip(feed["items"], newest, strict=True):
        assert item["_sitegen"]["event_id"] == ev["id"]
        assert item["_sitegen"]["date"] == ev["date"] and item["_sitegen"]["precision"] == ev["precision"]
        assert dt.datetime.fromisoformat(item["date_published"].replace("Z", "+00:00")) <= \
            dt.datetime.fromisoformat(item["date_modified"].replace("Z", "+00:00"))


# ---------------------------------------------------------------------------------------------
# Sitemap and robots.txt


def sitemap_files(site):
    """The sitemap files of a site, validated: [sitemap.xml] when it is a plain <urlset>, or the
    parts sitemap.xml indexes (each a valid <urlset> within the protocol's limits) when it is a
    <sitemapindex>. Returns (index_locs, [(path, root)])."""
    urlset_xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap-0.9.xsd")))
    root = ET.parse(site.out / "sitemap.xml").getroot()
    if root.tag == SITEMAP + "urlset":
        assert urlset_xsd.validate(etree.parse(str(site.out / "sitemap.xml"))), str(urlset_xsd.error_log)
        return [], [(site.out / "sitemap.xml", root)]
    assert root.tag == SITEMAP + "sitemapindex", root.tag
    index_xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap-index-0.9.xsd")))
    assert index_xsd.validate(etree.parse(str(site.out / "sitemap.xml"))), str(index_xsd.error_log)
    index_locs = [s.find(SITEMAP + "loc").text for s in root.findall(SITEMAP + "sitemap")]
    assert 1 < len(index_locs) <= SITEMAP_MAX_URLS
    parts = []
    for n, loc in enumerate(index_locs, 1):
        assert loc == site.base + f"sitemap-{n}.xml", "absolute URLs of the numbered parts, in order"
        path = site.file_for(loc)
        assert path.stat().st_size <= SITEMAP_MAX_BYTES
        assert urlset_xsd.validate(etree.parse(str(path))), str(urlset_xsd.error_log)
        part = ET.parse(path).getroot()
        assert part.tag == SITEMAP + "urlset"
        parts.append((path, part))
    assert not (site.out / f"sitemap-{len(index_locs) + 1}.xml").exists()
    return index_locs, parts


def test_sitemap_lists_every_page(site):
    index_locs, parts = sitemap_files(site)
    locs = []
    for path, root in parts:
        part_locs = [u.find(SITEMAP + "loc").text for u in root.findall(SITEMAP + "url")]
        assert 0 < len(part_locs) <= SITEMAP_MAX_URLS
        assert path.stat().st_size <= SITEMAP_MAX_BYTES
        locs += part_locs
    if not index_locs:
        assert len(locs) <= SITEMAP_MAX_URLS, "a plain sitemap.xml only while the site fits in one file"
        assert not list(site.out.glob("sitemap-*.xml"))
    assert all(l.startswith(site.base) for l in locs)
    # 404 and the editors' review pages (review/, split into several on a large site) are
    # deliberately left out of the sitemap (all are noindex).
    pages = {rel for p in site.html_pages()
             if (rel := p.relative_to(site.out).as_posix()) != "404.html" and not rel.startswith("review/")}
    rels = [site.file_for(l).relative_to(site.out).as_posix() for l in locs]
    assert set(rels) == pages and len(rels) == len(pages)
    assert locs == [site.url(p) for p in rels], "percent-encoded, index.html dropped"


def test_robots_txt_points_at_the_sitemap(site):
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(site.read("robots.txt").splitlines())
    assert rp.site_maps() == [site.base + "sitemap.xml"]
    assert rp.can_fetch("*", site.base + "events/")


# ---------------------------------------------------------------------------------------------
# TimelineJS


def test_timelinejs(site):
    tl = json.loads(site.read("data/timeline.json"))
    validate_json(tl, "timelinejs3.schema.json")
    assert tl["title"]["text"]["headline"]
    assert [s["unique_id"] for s in tl["events"]] == [e["id"] for e in site.events]
    for slide, ev in zip(tl["events"], site.events):
        assert slide["start_date"] == timeline_date(ev["date"]), ev
        if ev["end"]:
            assert slide["end_date"] == timeline_date(ev["end"], last=True)
        elif ev["precision"] in ("quarter", "half", "week"):
            assert slide["end_date"] == timeline_date(ev["date"], last=True)
        else:
            assert "end_date" not in slide
        assert slide["text"]["headline"] == ev["title"]
        assert re.search(r"\d{4}年", slide["display_date"])
        assert slide.get("group") == main_entity(site, ev)
    years = sorted({int(e["date"][:4]) for e in site.events})
    assert [e["start_date"]["year"] for e in tl["eras"]] == years
    for era in tl["eras"]:
        assert (era["start_date"]["month"], era["start_date"]["day"]) == (1, 1)
        assert (era["end_date"]["month"], era["end_date"]["day"]) == (12, 31)


# ---------------------------------------------------------------------------------------------
# CSV


def test_events_csv(site):
    raw = site.bytes("data/events.csv")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    for col in ("id", "date", "precision", "end", "headline", "entities", "source_urls"):
        assert col in header
    assert len(body) == len(site.events)
    assert all(len(r) == len(header) for r in body)
    recs = [dict(zip(header, r)) for r in body]
    for rec, ev in zip(recs, site.events):
        assert rec["id"] == ev["id"] and rec["date"] == ev["date"] and rec["precision"] == ev["precision"]
        assert rec["end"] == (ev["end"] or "")
        assert rec["headline"] == ev["title"]
        names = [site.entities[i]["name"] for i in ev["entities"] + ev["implied_entities"]]
        assert rec["entities"].split("; ") == names
        assert rec["articles"].split(" ") == [site.url(f"articles/{s['article']}/index.html") + f"#e-{ev['id']}"
                                              for s in _unique_sources(ev)]
        src = [site.articles[s["article"]]["source_url"] for s in _unique_sources(ev)]
        assert rec["source_urls"] == " ".join(u for u in src if u)


def _unique_sources(ev):
    seen, out = set(), []
    for s in ev["sources"]:
        if s["article"] not in seen:
            seen.add(s["article"])
            out.append(s)
    return out


# ---------------------------------------------------------------------------------------------
# iCalendar


def test_events_ics(site):
    raw = site.bytes("data/events.ics")
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n"), "every line ends in CRLF"
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a UTF-8 character
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and cal.get("PRODID")
    vevents = cal.walk("VEVENT")
    assert len(vevents) == len(site.events)
    host = urllib.parse.urlsplit(site.base).hostname
    uids = [str(v["UID"]) for v in vevents]
    assert uids == [f"{e['id']}@{host}" for e in site.events]
    for v, ev in zip(vevents, site.events):
        start, end = v.decoded("DTSTART"), v.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date, "all-day events"
        first, last = span(ev)
        assert start == first and end == last + dt.timedelta(days=1), ev
        if ev["precision"] == "day" and not ev["end"]:
            assert end - start == dt.timedelta(days=1)
        assert str(v["SUMMARY"]) == ev["title"]
        desc = str(v["DESCRIPTION"])
        assert "日期精度" in desc
        assert ev["sources"][0]["quote"] in desc
        assert str(v["URL"]) == site.url(f"events/{ev['id']}.html")
        assert type(v.decoded("DTSTAMP")) is dt.datetime


# ---------------------------------------------------------------------------------------------
# Graphs


def node_ids(site):
    return ({f"event:{e['id']}" for e in site.events} | {f"entity:{i}" for i in site.entities}
            | {f"article:{s}" for s in site.articles})


def test_json_graph(site):
    doc = json.loads(site.read("data/graph.json"))
    validate_json(doc, "json-graph-v2.schema.json")
    g = doc["graph"]
    assert set(g["nodes"]) == node_ids(site)
    rels = {e["relation"] for e in g["edges"]}
    assert rels <= RELATIONS and {"mentions", "reported_by", "same_entity_next"} <= rels
    for e in g["edges"]:
        assert e["source"] in g["nodes"] and e["target"] in g["nodes"]
    for ev in site.events:
        node = f"event:{ev['id']}"
        assert g["nodes"][node]["metadata"]["date"] == ev["date"]
        reported = {e["target"] for e in g["edges"] if e["source"] == node and e["relation"] == "reported_by"}
        assert reported == {f"article:{s['article']}" for s in ev["sources"]}
        mentioned = {e["target"] for e in g["edges"] if e["source"] == node and e["relation"] == "mentions"}
        assert mentioned == {f"entity:{i}" for i in ev["entities"] + ev["implied_entities"]}
    parents = {(e["source"], e["target"]) for e in g["edges"] if e["relation"] == "parent_of"}
    assert parents == {(f"entity:{x['parent']}", f"entity:{x['id']}") for x in site.entities.values() if x["parent"]}


def test_gexf(site):
    path = site.out / "data/graph.gexf"
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf-1.3-subset.xsd")))
    assert xsd.validate(etree.parse(str(path))), str(xsd.error_log)
    root = ET.parse(path).getroot()
    assert root.tag == GEXF + "gexf" and root.get("version") == "1.3"
    graph = root.find(GEXF + "graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    g = networkx.read_gexf(path)
    assert set(g.nodes) == node_ids(site)
    json_edges = json.loads(site.read("data/graph.json"))["graph"]["edges"]
    assert g.number_of_edges() == len(json_edges)
    for ev in site.events:
        attrs = g.nodes[f"event:{ev['id']}"]
        first, last = span(ev)
        assert (attrs["start"], attrs["end"]) == (first.isoformat(), last.isoformat()), ev
        assert attrs["label"] == ev["title"] and attrs["precision"] == ev["precision"]
        forecast = attrs.get("forecast", g.graph["node_default"]["forecast"])
        assert forecast == ("true" if ev["forecast"] else "false"), "declared default, written only when true"
    assert {d["relation"] for _, _, d in g.edges(data=True)} <= RELATIONS
    # "implied" is declared with the default "false": the edges that carry "true" are exactly the
    # events' implied entities (a product's parent company).
    implied_default = g.graph["edge_default"]["implied"]
    assert implied_default == "false"
    implied = {(u, v) for u, v, d in g.edges(data=True)
               if d["relation"] == "mentions" and d.get("implied", implied_default) == "true"}
    assert implied == {(f"event:{ev['id']}", f"entity:{i}") for ev in site.events for i in ev["implied_entities"]}


# ---------------------------------------------------------------------------------------------
# Pages: canonical URL, Open Graph, JSON-LD


class Head(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.metas, self.jsonld, self.urls = [], {}, [], []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link":
            self.links.append(a)
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key:
                self.metas[key] = a.get("content")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.jsonld.append("")
        for k in ("href", "src", "action"):
            if a.get(k):
                self.urls.append(a[k])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.jsonld[-1] += data


def parse_page(path):
    h = Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def jsonld_urls(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("url", "item", "mainEntityOfPage", "@id") and isinstance(v, str):
                yield v
            else:
                yield from jsonld_urls(v)
    elif isinstance(node, list):
        for v in node:
            yield from jsonld_urls(v)


def test_page_metadata_and_jsonld(site):
    by_id = {e["id"]: e for e in site.events}
    types_seen = set()
    for page in site.html_pages():
        rel = page.relative_to(site.out).as_posix()
        h = parse_page(page)
        canonical = [l["href"] for l in h.links if l.get("rel") == "canonical"]
        assert canonical == [site.url(rel)], rel
        if rel == "404.html":
            assert h.metas.get("robots") == "noindex"
            continue
        assert h.metas["og:url"] == canonical[0]
        assert h.metas["og:type"] in ("website", "article")
        assert h.metas.get("og:title") and h.metas.get("og:site_name") and h.metas.get("og:locale") == "zh_CN"
        assert "description" in h.metas and "og:description" in h.metas
        feeds = {l["type"] for l in h.links if l.get("rel") == "alternate"}
        assert {"application/atom+xml", "application/feed+json"} <= feeds
        raw = page.read_text(encoding="utf-8")
        for block in h.jsonld:
            assert "<" not in block and "\u2028" not in block, f"{rel}: unescaped text in JSON-LD"
            doc = json.loads(block)
            validate_json(doc, "jsonld-pages.schema.json")
            assert all(u.startswith(site.base) for u in jsonld_urls(doc)), rel
            types = [n["@type"] for n in doc["@graph"]]
            types_seen.update(types)
            if "BreadcrumbList" in types:
                crumbs = next(n for n in doc["@graph"] if n["@type"] == "BreadcrumbList")["itemListElement"]
                assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))
                assert crumbs[0]["item"] == site.base and crumbs[-1]["item"] == canonical[0]
        parts = rel.split("/")
        if len(parts) == 3 and parts[0] == "articles":
            assert len(h.jsonld) == 1, rel
            art = next(n for n in json.loads(h.jsonld[0])["@graph"] if n["@type"] == "NewsArticle")
            a = site.articles[parts[1]]
            assert art["headline"] == a["title"] and art["datePublished"] == a["date"]
            assert h.metas["og:type"] == "article" and h.metas["article:published_time"] == a["date"]
        if len(parts) == 3 and parts[0] == "events":
            assert len(h.jsonld) == 1, rel
            node = next(n for n in json.loads(h.jsonld[0])["@graph"] if n["@type"] == "Event")
            ev = by_id[parts[1]]
            assert node["startDate"] == iso8601(ev["date"]), ev
            if ev["end"]:
                assert node["endDate"] == iso8601(ev["end"], last=True)
            assert node["name"] == ev["title"]
        if len(parts) == 3 and parts[0] == "years":
            assert len(h.jsonld) == 1 and "ItemList" in raw
    assert {"NewsArticle", "Event", "ItemList", "BreadcrumbList"} <= types_seen


# ---------------------------------------------------------------------------------------------
# Every URL resolves (this is the sub-path deployment check for the *-subpath builds)


def json_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from json_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from json_strings(v)


def test_every_link_resolves_under_the_base(site):
    base_path = urllib.parse.urlsplit(site.base).path
    host = "{0.scheme}://{0.netloc}/".format(urllib.parse.urlsplit(site.base))
    missing = []

    def check(url, where):
        if url.startswith(host) and not url.startswith(site.base):
            missing.append(f"{where}: {url} is outside the base URL")
            return
        if url.startswith("/") and not url.startswith("//"):
            if not url.startswith(base_path):
                missing.append(f"{where}: {url} is outside the base path")
                return
            url = host.rstrip("/") + url
        f = site.file_for(url)
        if f is not None and not f.exists():
            missing.append(f"{where}: {url} → no {f.relative_to(site.out)}")

    for page in site.html_pages():
        h = parse_page(page)
        for u in h.urls + [v for v in h.metas.values() if v and v.startswith("http")]:
            check(u, page.relative_to(site.out).as_posix())
    for feed in ("atom.xml", "articles.xml"):
        for el in ET.parse(site.out / feed).getroot().iter():
            for u in [el.get("href"), el.get("scheme")] + ([el.text] if el.tag == ATOM + "id" else []):
                if u:
                    check(u, feed)
    for path, root in [(site.out / "sitemap.xml", ET.parse(site.out / "sitemap.xml").getroot())] + sitemap_files(site)[1]:
        for u in root.iter(SITEMAP + "loc"):
            check(u.text, path.name)
    for path in ("feed.json", "data/graph.json", "data/timeline.json"):
        for text in json_strings(json.loads(site.read(path))):
            if text.startswith("http"):
                check(text, path)
            for u in re.findall(r'href="([^"]+)"', text):  # links inside HTML strings
                check(html.unescape(u), path)
    cal = icalendar.Calendar.from_ical(site.bytes("data/events.ics"))
    for v in cal.walk("VEVENT"):
        check(str(v["URL"]), "events.ics")
    assert not missing, "\n".join(missing[:20])
    if site.name.endswith("subpath"):
        assert site.base == SUB_PATH_BASE
        assert (site.out / "index.html").read_text(encoding="utf-8").count('href="/timeline/') > 5


# ---------------------------------------------------------------------------------------------
# Stable output


def test_builds_are_byte_identical(tmp_path):
    content = tmp_path / "content"
    write_corpus(content, articles=12, seed=3)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = build(tmp_path / "a", content)
    b = build(tmp_path / "b", content)
    files_a = sorted(p.relative_to(a.out) for p in a.out.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b.out) for p in b.out.rglob("*") if p.is_file())
    assert files_a == files_b
    exports = {"atom.xml", "articles.xml", "feed.json", "sitemap.xml", "robots.txt", "data/timeline.json",
               "data/events.csv", "data/events.ics", "data/graph.json", "data/graph.gexf"}
    assert exports <= {p.as_posix() for p in files_a}
    different = [str(p) for p in files_a if not filecmp.cmp(a.out / p, b.out / p, shallow=False)]
    assert not different, different
