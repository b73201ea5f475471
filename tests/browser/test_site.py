"""Browser tests of the built real site: timeline, explore/search, permalinks, keyboard, console.

    pytest tests/browser/test_site.py        (SITEGEN_BIN=path/to/sitegen to pick the binary)
"""
import base64
import json
import re
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import console_errors, set_color_scheme, set_viewport, wait_search, wait_until


def year_of(event):
    return event["date"][:4]


def first_article_with_events(data):
    counts = {}
    for e in data["events"]:
        for s in e["sources"]:
            counts[s["article"]] = counts.get(s["article"], 0) + 1
    return max(data["articles"], key=lambda a: (counts.get(a["slug"], 0), a["slug"]))


def busiest_entity(data):
    counts = {}
    for e in data["events"]:
        for x in e["entities"]:
            counts[x] = counts.get(x, 0) + 1
    return max(counts, key=lambda k: (counts[k], k))


# --- the home page ---------------------------------------------------------------------------

def test_home_renders_events(driver, site):
    driver.get(site.url("/"))
    cards = driver.find_elements(By.CSS_SELECTOR, "li.event")
    ids = {c.get_attribute("id") for c in cards}
    n = len(site.data["events"])
    assert n > 0
    if n <= 400:
        assert ids == {e["id"] for e in site.data["events"]}, "home page should list every event"
    else:
        assert len(ids) >= 100
    first = cards[0]
    assert first.is_displayed()
    assert first.find_element(By.CSS_SELECTOR, "time").text.strip()
    assert first.find_element(By.CSS_SELECTOR, ".event-headline a").text.strip()
    assert driver.find_element(By.CSS_SELECTOR, "h1").text.strip()
    assert not console_errors(driver)


def month_key(event):
    """(year, month) an event is listed under on the timeline: its month for a day, week or month
    without range end, "00" (the year's group of events spanning months) for anything coarser."""
    from test_timeline import monthly, month_of
    if monthly(event):
        y, m = month_of(event)
        return str(y), f"{m:02d}"
    return year_of(event), "00"


HOME_MONTHS = """
function count(el) { var c = el && el.querySelector('.count'); return c ? parseInt(c.textContent.replace(/[^0-9]/g, ''), 10) : null; }
return [].slice.call(document.querySelectorAll('section.year-group')).map(function (g) {
  var h = g.querySelector(':scope > h2');
  return {id: h.id, count: count(h), months: [].slice.call(
    g.querySelectorAll(':scope > .month-summary, :scope > .month-group > .month-title')).map(function (m) {
      var group = m.closest('.month-group'), a = m.querySelector('a');
      return {id: m.id, count: count(m), collapsed: m.classList.contains('month-summary'),
              link: a ? a.getAttribute('href') : null,
              shown: group ? group.querySelectorAll('li.event, .timeline-compact > li').length : 0};
    })};
});
"""

MONTH_SHOWN = """
var h = document.getElementById(arguments[0]);
var group = h && h.closest('.month-group');
return group ? group.querySelectorAll('li.event, .timeline-compact > li').length : null;
"""


def test_home_months_count_every_event(driver, site):
    """The home timeline groups every event by year and month, and the counts it prints add up to
    data/events.json. Above 400 events (the large corpus) every month is collapsed to its count with
    a link to the month's page, and that page lists as many events of the month; otherwise each
    month lists its events."""
    expected = {}
    for e in site.data["events"]:
        key = "y%s-m%s" % month_key(e)
        expected[key] = expected.get(key, 0) + 1
    driver.get(site.url("/"))
    years = driver.execute_script(HOME_MONTHS)
    assert years, "the home page has no year groups"
    got = {m["id"]: m["count"] for y in years for m in y["months"]}
    assert got == expected, "home month counts differ from data/events.json: " + ", ".join(
        f"{k}: {got.get(k)} shown, {expected.get(k)} events" for k in sorted(set(got) | set(expected))
        if got.get(k) != expected.get(k))
    for y in years:
        assert y["count"] == sum(m["count"] for m in y["months"]), f"{y['id']}: year count is not the sum of its months"
    months = [m for y in years for m in y["months"]]
    large = len(site.data["events"]) > 400
    assert all(m["collapsed"] == large for m in months), "months should be collapsed exactly when there are over 400 events"
    if not large:
        assert all(m["shown"] == m["count"] for m in months), [m for m in months if m["shown"] != m["count"]]
        return
    for m in months:
        year, month = m["id"][1:5], m["id"][-2:]
        assert m["link"] == (f"/years/{year}/periods/" if month == "00" else f"/years/{year}/{month}/"), m
    busiest = max((m for m in months if not m["link"].endswith("periods/")), key=lambda m: (m["count"], m["id"]))
    driver.get(site.url(busiest["link"]))
    stats = driver.find_element(By.CSS_SELECTOR, "p.stats").text
    assert stats.startswith(f"{busiest['count']} 件事件"), \
        f"{busiest['link']} does not count the {busiest['count']} events the home page counts: {stats}"
    assert not console_errors(driver)


# --- explore: filters and search -------------------------------------------------------------

def article_filters(site):
    """Per article slug: the years, kinds and entities of the index record (Render/SearchRecords)."""
    out = {a["slug"]: {"year": {a["date"][:4]}, "kind": set(), "entity": set()} for a in site.data["articles"]}
    slug_of_kind = {}
    for e in site.data["events"]:
        for s in e["sources"]:
            f = out[s["article"]]
            f["year"].add(e["date"][:4])
            if e["kind"]:
                f["kind"].add(e["kind"])
            f["entity"].update(e["entities"] + e["implied_entities"])
    return out


def test_filter_narrows_list_and_updates_url(driver, site):
    """Filters narrow the results (articles by the years and kinds of their events), the URL holds
    them, reopening restores them, reset clears them."""
    driver.get(site.url("/explore/"))
    wait_until(lambda: driver.execute_script(
        "return document.querySelector('.explore').getAttribute('data-ready') === 'true'"), timeout=60, message="index loaded")
    assert driver.find_elements(By.CSS_SELECTOR, "#results li") == []
    per = article_filters(site)
    years = {}
    for f in per.values():
        for y in f["year"]:
            years[y] = years.get(y, 0) + 1
    year = max(years, key=lambda y: (years[y], y))
    Select(driver.find_element(By.ID, "f-year")).select_by_value(year)
    total_year, _ = wait_search(driver)
    assert total_year == years[year]
    assert f"year={year}" in driver.current_url
    kind_select = Select(driver.find_element(By.ID, "f-kind"))
    kinds = {}
    for f in per.values():
        if year in f["year"]:
            for k in f["kind"]:
                kinds[k] = kinds.get(k, 0) + 1
    label_by_value = {o.get_attribute("value"): o.get_attribute("data-label") or o.text for o in kind_select.options}
    value_by_label = {re.sub(r"（\d+）$", "", v): k for k, v in label_by_value.items() if k}
    kind_label = min((k for k in kinds if k in value_by_label and kinds[k] < total_year), key=lambda k: (kinds[k], k))
    kind_select.select_by_value(value_by_label[kind_label])
    total_both = wait_until(lambda: (lambda t: t if t != total_year else None)(wait_search(driver)[0]),
                            message="narrowed result count")
    assert total_both == kinds[kind_label] < total_year
    query = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)
    assert query == {"year": [year], "kind": [value_by_label[kind_label]]}
    driver.get(driver.current_url)
    total_again, _ = wait_search(driver)
    assert total_again == total_both
    assert Select(driver.find_element(By.ID, "f-year")).first_selected_option.get_attribute("value") == year
    driver.find_element(By.ID, "f-reset").click()
    wait_until(lambda: "?" not in driver.current_url, message="query string cleared")
    assert driver.find_elements(By.CSS_SELECTOR, "#results li") == []
    assert not console_errors(driver)


def test_search_returns_the_entitys_events(driver, site):
    """「豆包」 finds the entity and the articles that report its events, with those events listed;
    typing updates the URL; the header box leads to the same results."""
    term, entity = site.search_term, site.search_entity
    driver.get(site.url("/explore/"))
    box = driver.find_element(By.ID, "q")
    box.send_keys(term)
    wait_until(lambda: urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query).get("q") == [term],
               message="q in URL")
    total, ms = wait_search(driver)
    entity_links = [a.get_attribute("pathname") for a in driver.find_elements(By.CSS_SELECTOR, "#results li.result-n a")]
    assert f"/entities/{entity}/" in entity_links
    expected = {e["permalink"] for e in site.data["events"] if entity in e["entities"]}
    articles = {s["article"] for e in site.data["events"] if entity in e["entities"] for s in e["sources"]}
    assert total >= 1 + min(len(articles), 1)
    shown = {a.get_attribute("pathname") for a in driver.find_elements(By.CSS_SELECTOR, "#results .result-events a")}
    assert shown and shown <= expected | {e["permalink"] for e in site.data["events"] if term in e["title"]}
    if not site.large:
        assert expected <= shown, f"missing {term} events: {sorted(expected - shown)}"
    print(f"\n[{site.name}] search {term}: {total} results, {len(shown)} events listed, in {ms} ms")
    driver.get(site.url("/"))
    header_box = driver.find_element(By.ID, "site-search-q")
    header_box.send_keys(term, Keys.ENTER)
    wait_until(lambda: "/explore/" in driver.current_url, message="explore page")
    total2, _ = wait_search(driver)
    assert total2 == total
    assert driver.find_element(By.ID, "q").get_attribute("value") == term
    assert not console_errors(driver)


# --- permalinks ------------------------------------------------------------------------------

TARGET_STATE = """
var t = document.getElementById(arguments[0]);
if (!t) return null;
var box = t.getBoundingClientRect();
var first = t.getClientRects()[0] || box;  // an inline target can start mid-line
var x = Math.min(Math.max(first.left + 4, 0), innerWidth - 1), y = Math.min(Math.max(first.top + 4, 0), innerHeight - 1);
var hit = document.elementFromPoint(x, y);
function look(el) { var s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.backgroundColor].join(' '); }
var card = t.matches('li.event') ? t.querySelector(':scope > article') : t;
var other = document.querySelector(arguments[1]);
return {top: box.top, bottom: box.bottom, height: box.height, vh: innerHeight,
        matches: t.matches(':target'), visible: !!hit && (t === hit || t.contains(hit) || hit.contains(t)),
        hit: hit ? hit.outerHTML.slice(0, 120) : null,
        style: look(card), other: other ? look(other) : null};
"""


def assert_target_shown(driver, target_id, other_selector):
    state = wait_until(lambda: (lambda s: s if s and s["matches"] else None)(
        driver.execute_script(TARGET_STATE, target_id, other_selector)), message=f"#{target_id} to be the :target")
    assert -2 <= state["top"] < state["vh"], f"#{target_id} not scrolled into view: {state}"
    assert state["visible"], f"#{target_id} is covered by another element: {state}"
    assert state["other"] is not None
    assert state["style"] != state["other"], f"#{target_id} is not highlighted: {state}"
    return state


def test_event_permalink_on_home_scrolls_and_highlights(driver, site):
    driver.get(site.url("/"))
    ids = [c.get_attribute("id") for c in driver.find_elements(By.CSS_SELECTOR, "li.event")]
    # Events far down the page, and one in the middle: each must end up in view and highlighted.
    for target in {ids[len(ids) // 2], ids[-3], ids[-1]}:
        driver.get(site.url("/#" + target))
        other = next(i for i in ids if i != target)
        assert_target_shown(driver, target, f"li.event[id='{other}'] > article")
    assert not console_errors(driver)


def test_event_permalink_in_article_scrolls_and_highlights(driver, site):
    urls = sorted({s["url"] for e in site.data["events"] for s in e["sources"]})
    assert urls
    if len(urls) > 40:  # the large corpus: an even sample
        urls = urls[::len(urls) // 40][:40]
    for url in urls:
        path, frag = url.split("#", 1)
        driver.get("about:blank")
        driver.get(site.url(url))
        other = driver.execute_script(
            "var target = arguments[0];"
            "var m = [].slice.call(document.querySelectorAll('mark.event[id]')).filter(function (x) {"
            " return x.id !== target && !x.querySelector('#' + CSS.escape(target)); });"
            "return m.length ? m[0].id : null;", frag)
        selector = f"mark.event[id='{other}']" if other else ".article-body p"
        assert_target_shown(driver, frag, selector)
    assert not console_errors(driver)


def test_event_page_and_timeline_links_resolve(driver, site):
    event = site.data["events"][len(site.data["events"]) // 2]
    driver.get(site.url(event["permalink"]))
    assert driver.find_element(By.CSS_SELECTOR, "h1").text.strip()
    sources = driver.find_elements(By.CSS_SELECTOR, ".sources > li")
    assert len(sources) == len({s["article"] for s in event["sources"]})
    assert not console_errors(driver)


# --- keyboard ------------------------------------------------------------------------------

FOCUS_STATE = """
var a = document.activeElement;
var req = window.__required || [];
var s = a ? getComputedStyle(a) : null;
return {index: req.indexOf(a), tag: a ? a.tagName : null, id: a ? a.id : null,
        href: a && a.getAttribute ? a.getAttribute('href') : null,
        ring: s ? (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none' : false,
        key: a ? (a.tagName + '|' + a.id + '|' + (a.getAttribute('href') || '') + '|' + (a.name || '') + '|' + (a.textContent || '').trim().slice(0, 30)) : ''};
"""


def tab_through(driver, limit=1500):
    """Presses Tab until focus comes back to the start of the page; returns the focus states."""
    seen, states = set(), []
    actions = ActionChains(driver)
    for _ in range(limit):
        actions.send_keys(Keys.TAB).perform()
        st = driver.execute_script(FOCUS_STATE)
        if st["tag"] in (None, "BODY") or st["key"] in seen:
            break
        seen.add(st["key"])
        states.append(st)
    return states


def test_keyboard_reaches_every_control(driver, site):
    driver.get(site.url("/explore/"))
    wait_until(lambda: driver.execute_script(
        "return document.querySelector('.explore').getAttribute('data-ready') === 'true'"), message="index loaded")
    required = driver.execute_script("""
      window.__required = [].slice.call(document.querySelectorAll(
        'input, select, button:not([hidden]), .site-nav a, .skip-link, .site-title'));
      return window.__required.map(function (e) { return e.tagName + '#' + e.id + ' ' + (e.getAttribute('href') || e.name || ''); });
    """)
    assert len(required) >= 12
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    states = tab_through(driver)
    reached = {s["index"] for s in states if s["index"] >= 0}
    missing = [required[i] for i in range(len(required)) if i not in reached]
    assert not missing, f"not reachable with Tab: {missing}"
    assert states[0]["href"] == "#main", "the first Tab stop should be the skip link"
    no_ring = [s["key"] for s in states if s["index"] >= 0 and not s["ring"]]
    assert not no_ring, f"focus is not visible on: {no_ring}"

    # Keyboard-only search: skip link, then type, results, Enter on the first result.
    driver.get(site.url("/explore/"))
    wait_until(lambda: driver.execute_script(
        "return document.querySelector('.explore').getAttribute('data-ready') === 'true'"), message="index loaded")
    driver.execute_script("window.__required = [document.getElementById('q')];")
    for _ in range(40):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script(FOCUS_STATE)["index"] == 0:
            break
    else:
        pytest.fail("#q not reached with Tab")
    ActionChains(driver).send_keys(site.search_term, Keys.ENTER).perform()
    total, _ = wait_search(driver)
    assert total > 0
    driver.execute_script("window.__required = [].slice.call(document.querySelectorAll('#results a'));")
    for _ in range(60):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        st = driver.execute_script(FOCUS_STATE)
        if st["index"] >= 0:
            break
    else:
        pytest.fail("no search result reached with Tab")
    target = st["href"]
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_until(lambda: urllib.parse.urlparse(driver.current_url).path == target, message="result opened with Enter")
    assert not console_errors(driver)


def test_skip_link_moves_focus_to_main(driver, site):
    driver.get(site.url("/"))
    ActionChains(driver).send_keys(Keys.TAB).perform()
    skip = driver.switch_to.active_element
    assert skip.get_attribute("class") == "skip-link"
    assert skip.is_displayed() and skip.rect["x"] >= 0, "skip link should become visible on focus"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert driver.current_url.endswith("#main")


# --- console errors and missing assets -------------------------------------------------------

class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "source", "iframe") and a.get("src"):
            self.refs.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") != "canonical":
            self.refs.append(a["href"])


def sample_pages(site):
    article = first_article_with_events(site.data)
    event = site.data["events"][0]
    year = year_of(event)
    return ["/", "/entities/", f"/entities/{busiest_entity(site.data)}/", "/articles/", article["url"],
            event["permalink"], f"/years/{year}/", "/years/", "/kinds/", "/entity-kinds/", "/events/",
            "/years/%s/%s/" % (event["date"][:4], event["date"][5:7] or "01") if event["precision"] in ("day", "month")
            else f"/years/{year}/periods/", "/explore/", "/explore/?q=" + urllib.parse.quote(site.search_term) + "&year=" + year,
            "/404.html"]


def test_no_console_errors_or_missing_assets(driver, site):
    problems = []
    for path in sample_pages(site):
        driver.get(site.url(path))
        if path.startswith("/explore/"):
            wait_until(lambda: driver.execute_script(
                "return document.querySelector('.explore').getAttribute('data-ready') === 'true'"), message="index")
        entries = console_errors(driver)
        problems += [f"{path}: {e['message']}" for e in entries]
        # Every referenced asset answers 200 (http.server serves no 404.html of its own).
        parser = _Refs()
        parser.feed(driver.page_source)
        for ref in parser.refs:
            url = urllib.parse.urljoin(site.url(path), ref)
            if not url.startswith(site.server.base):
                continue
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    if r.status != 200:
                        problems.append(f"{path}: {ref} → HTTP {r.status}")
            except OSError as err:
                problems.append(f"{path}: {ref} → {err}")
        failed = driver.execute_script(
            "return performance.getEntriesByType('resource').filter(function (r) {"
            " return r.responseStatus && r.responseStatus >= 400; }).map(function (r) { return r.name + ' ' + r.responseStatus; });")
        problems += [f"{path}: {f}" for f in failed]
    assert not problems, "\n".join(problems)


# --- screenshots ------------------------------------------------------------------------------

def screenshot_pages(site):
    """(name, path) of the pages to shoot; a path with a #fragment gets the first screen only (its
    full page would repeat the page without the fragment)."""
    article = first_article_with_events(site.data)
    years = {}
    for e in site.data["events"]:
        years[year_of(e)] = years.get(year_of(e), 0) + 1
    busiest_year = max(years, key=lambda y: (years[y], y))
    months = sorted({e["date"][:7] for e in site.data["events"] if e["precision"] in ("day", "month") and not e["end"]})
    busiest_month = max(months, key=lambda m: (sum(1 for e in site.data["events"] if e["date"].startswith(m)), m))
    return [("home", "/"), ("explore-search", "/explore/?q=" + urllib.parse.quote(site.search_term)),
            ("month", "/years/%s/%s/" % (busiest_month[:4], busiest_month[5:7])),
            ("entity", f"/entities/{busiest_entity(site.data)}/"), ("article", article["url"]),
            ("event", site.data["events"][len(site.data["events"]) // 2]["permalink"]),
            # The home timeline's months (collapsed to counts on the large corpus), below 5,000 px there.
            ("home-months", f"/#y{busiest_year}")]


@pytest.mark.parametrize("width,height,label", [(390, 844, "phone"), (1280, 900, "desktop")])
def test_screenshots(driver, site, screenshot_dir, width, height, label):
    """Screenshots of the main page types, light and dark: the first screen (NAME-top.png) and the
    page up to 5,000 px tall (NAME.png), for a person to look at; also asserts that nothing overflows
    the viewport horizontally."""
    set_viewport(driver, width, height, mobile=width < 600)
    overflow = []
    for scheme in ("light", "dark"):
        set_color_scheme(driver, scheme)
        for name, path in screenshot_pages(site):
            driver.get(site.url(path))
            if path.startswith("/explore/"):
                wait_search(driver)
            wide = driver.execute_script(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1 ?"
                " document.documentElement.scrollWidth : 0")
            if wide:
                overflow.append(f"{name} ({scheme}) is {wide}px wide")
            (screenshot_dir / f"{site.name}-{label}-{scheme}-{name}-top.png").write_bytes(driver.get_screenshot_as_png())
            if "#" in path:
                continue
            full = driver.execute_script("return document.documentElement.scrollHeight")
            h = min(full, 5000)
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": h, "scale": 1}})
            (screenshot_dir / f"{site.name}-{label}-{scheme}-{name}.png").write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    set_color_scheme(driver, "light")
    assert not overflow, "horizontal overflow: " + "; ".join(overflow)
    assert not console_errors(driver)
