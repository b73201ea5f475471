// sitegen: the little the pages do in the browser. Every page works without it.
//  - timelines: compact lines or cards, the reader's choice remembered (localStorage);
//  - month pages opened with ?kind=…: only that kind's events, with a way back to all;
//  - charts: one tab stop, arrow keys move between marks, Enter opens one; phones open them at
//    the recent end;
//  - the explore page: Pagefind search (chunked index: only what a query needs is downloaded).
(function () {
  "use strict";
  var store = { get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
                set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } } };

  // --- timeline view: compact (default) or cards ------------------------------------------------
  function applyView(view) {
    document.documentElement.setAttribute("data-view", view);
    Array.prototype.forEach.call(document.querySelectorAll(".view-toggle button"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === view));
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".view-toggle"), function (t) {
    t.hidden = false;
    t.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-view]");
      if (!b) { return; }
      store.set("sitegen-view", b.getAttribute("data-view"));
      applyView(b.getAttribute("data-view"));
    });
  });
  applyView(store.get("sitegen-view") === "cards" ? "cards" : "compact");

  // --- a month page opened from a kind page keeps the kind ---------------------------------------
  var kindParam = new URLSearchParams(location.search).get("kind");
  var kindNote = document.getElementById("kind-filter");
  if (kindParam && kindNote) {
    var shown = 0, label = "";
    Array.prototype.forEach.call(document.querySelectorAll("li.event"), function (li) {
      var keep = li.getAttribute("data-kind") === kindParam;
      li.hidden = !keep;
      if (keep) { shown++; label = label || (li.querySelector(".event-kind") || {}).textContent || ""; }
    });
    kindNote.hidden = false;
    kindNote.querySelector(".kind-filter-label").textContent = (label || kindParam) + "：" + shown + " 件";
  }

  // --- charts -------------------------------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll(".chart-scroll"), function (box) {
    // Recent end first where the chart is wider than the screen.
    box.scrollLeft = box.scrollWidth;
    var svg = box.querySelector("svg");
    if (!svg) { return; }
    var marks = Array.prototype.slice.call(svg.querySelectorAll("a"));
    if (!marks.length) { return; }
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.setAttribute("role", "status");
    tip.hidden = true;
    box.parentNode.insertBefore(tip, box.nextSibling);
    var current = marks.length - 1;
    marks.forEach(function (a, i) { a.setAttribute("tabindex", i === current ? "0" : "-1"); });
    function show(a) {
      tip.textContent = a.getAttribute("aria-label") || "";
      tip.hidden = !tip.textContent;
    }
    function focus(i) {
      marks[current].setAttribute("tabindex", "-1");
      current = Math.max(0, Math.min(marks.length - 1, i));
      marks[current].setAttribute("tabindex", "0");
      marks[current].focus();
      show(marks[current]);
      var r = marks[current].getBoundingClientRect(), b = box.getBoundingClientRect();
      if (r.left < b.left || r.right > b.right) { box.scrollLeft += r.left - b.left - b.width / 2; }
    }
    svg.addEventListener("keydown", function (ev) {
      var k = ev.key;
      if (k === "ArrowRight" || k === "ArrowDown") { focus(current + 1); }
      else if (k === "ArrowLeft" || k === "ArrowUp") { focus(current - 1); }
      else if (k === "Home") { focus(0); }
      else if (k === "End") { focus(marks.length - 1); }
      else if (k === "Enter" || k === " ") {
        // An SVG link does not follow itself on Enter everywhere.
        var href = ev.target.closest("a") && ev.target.closest("a").getAttribute("href");
        if (href) { location.href = href; }
      }
      else { return; }
      ev.preventDefault();
    });
    marks.forEach(function (a, i) {
      a.addEventListener("focus", function () { current = i; show(a); });
      a.addEventListener("mouseenter", function () { show(a); });
    });
    svg.addEventListener("mouseleave", function () { tip.hidden = true; });
  });

  // --- explore: Pagefind search and filters -------------------------------------------------------
  var root = document.querySelector(".explore");
  if (!root) { return; }
  var form = document.getElementById("filters");
  var statusEl = document.getElementById("status");
  var resultsEl = document.getElementById("results");
  var moreEl = document.getElementById("more");
  var filterNames = ["type", "year", "kind", "ekind", "entity"];
  var fields = ["q"].concat(filterNames);
  var PAGE = 10;
  var pagefind = null;
  var composing = false;
  var runNumber = 0;
  var timer = null;
  var current = null;
  var currentQuery = "";

  function control(name) { return form.elements.namedItem(name); }

  function state() {
    var s = {};
    fields.forEach(function (f) { var el = control(f); s[f] = el ? String(el.value || "").trim() : ""; });
    return s;
  }

  // Pagefind's excerpt marks the words found with <mark>; everything else is shown as text.
  // Pagefind's excerpt marks the words found with <mark>; everything else is shown as text. The
  // spaces the index put between Han characters are taken out (SearchRecords.spaced).
  var HAN = /[\u3000-\u9fff\uf900-\uffef]/;
  function excerptNode(html) {
    var span = document.createElement("span");
    span.className = "result-excerpt";
    var scratch = document.createElement("textarea");
    var parts = [], marked = false;
    String(html || "").split(/(<mark>|<\/mark>)/).forEach(function (p) {
      if (p === "<mark>") { marked = true; return; }
      if (p === "</mark>") { marked = false; return; }
      scratch.innerHTML = p.replace(/</g, "&lt;");  // decodes entities, never makes elements
      parts.push({ text: scratch.value, marked: marked });
    });
    // An excerpt cut mid-sentence starts with the punctuation before it: drop that.
    while (parts.length && !parts[0].marked && /^[\s。，、；：！？]/.test(parts[0].text)) {
      parts[0].text = parts[0].text.replace(/^[\s。，、；：！？]+/, "");
      if (!parts[0].text) { parts.shift(); }
    }
    var flat = parts.map(function (p) { return p.text; }).join("");
    var at = 0;
    parts.forEach(function (p) {
      var kept = "";
      for (var i = 0; i < p.text.length; i++, at++) {
        var c = p.text.charAt(i);
        if (c === " " && HAN.test(flat.charAt(at - 1)) && HAN.test(flat.charAt(at + 1))) { continue; }
        kept += c;
      }
      if (!kept) { return; }
      var node = document.createTextNode(kept);
      if (p.marked) { var m = document.createElement("mark"); m.appendChild(node); span.appendChild(m); }
      else { span.appendChild(node); }
    });
    return span;
  }

  // An article's events (SearchRecords.article: url, date, headline, names, kind per line) whose
  // headline or entity names hold every word of the query, and that pass the kind filter.
  function matchingEvents(text) {
    if (!text || !currentQuery) { return []; }
    var words = currentQuery.toLowerCase().split(/\s+/).filter(Boolean);
    var kind = state().kind;
    return text.split("\n").map(function (l) { return l.split("\t"); }).filter(function (f) {
      var hay = (f[2] + " " + f[3]).toLowerCase();
      return (!kind || f[4] === kind) && words.every(function (w) { return hay.indexOf(w) >= 0; });
    });
  }

  function resultItem(d) {
    var li = document.createElement("li");
    var type = (d.meta && d.meta.type) || "";
    li.className = "result result-" + (type === "事件" ? "e" : type === "实体" ? "n" : "a");
    var head = document.createElement("p");
    head.className = "result-head";
    var label = document.createElement("span");
    label.className = "result-type";
    label.textContent = type;
    var a = document.createElement("a");
    a.href = d.url;
    a.textContent = (d.meta && d.meta.title) || d.url;
    head.appendChild(label);
    head.appendChild(a);
    if (d.meta && d.meta.info) {
      var meta = document.createElement("span");
      meta.className = "result-meta";
      meta.textContent = d.meta.info + (d.meta.forecast ? " · " + d.meta.forecast : "");
      head.appendChild(meta);
    }
    li.appendChild(head);
    if (d.excerpt) { li.appendChild(excerptNode(d.excerpt)); }
    var events = matchingEvents(d.meta && d.meta.events);
    if (events.length) {
      var ul = document.createElement("ul");
      ul.className = "result-events";
      ul.setAttribute("aria-label", "文中相符的事件");
      events.slice(0, 5).forEach(function (ev) {
        var item = document.createElement("li");
        var t = document.createElement("span");
        t.className = "result-date";
        t.textContent = ev[1];
        var link = document.createElement("a");
        link.href = ev[0];
        link.textContent = ev[2];
        item.appendChild(t);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(link);
        ul.appendChild(item);
      });
      if (events.length > 5) {
        var rest = document.createElement("li");
        rest.className = "result-meta";
        rest.textContent = "另有 " + (events.length - 5) + " 件，见文章";
        ul.appendChild(rest);
      }
      li.appendChild(ul);
    }
    return li;
  }

  // Shows the next PAGE results of the current search.
  function showMore(run) {
    if (!current) { return Promise.resolve(); }
    var slice = current.results.slice(current.shown, current.shown + PAGE);
    current.shown += slice.length;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
      if (run !== runNumber) { return; }
      var frag = document.createDocumentFragment();
      data.forEach(function (d) { frag.appendChild(resultItem(d)); });
      resultsEl.appendChild(frag);
      moreEl.hidden = current.shown >= current.results.length;
      moreEl.textContent = "加载更多（还有 " + (current.results.length - current.shown) + " 条）";
    });
  }

  // Counts next to each filter value: how many results each would leave.
  function showCounts(counts) {
    filterNames.forEach(function (f) {
      var el = control(f);
      if (!el || !el.options) { return; }
      var c = (counts && counts[f]) || {};
      Array.prototype.forEach.call(el.options, function (o) {
        if (!o.value) { return; }
        var base = o.getAttribute("data-label") || o.textContent;
        o.setAttribute("data-label", base);
        var n = c[o.value] || 0;
        o.textContent = counts ? base + "（" + n + "）" : base;
      });
    });
  }

  // The index holds each Han character as a word (SearchRecords.spaced): a run of characters is
  // asked for as an exact phrase of them; other words are kept as typed.
  function pagefindQuery(q) {
    var han = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
    var words = [];
    var runs = 0;
    q.split(/\s+/).forEach(function (w) {
      if (!w) { return; }
      var chars = Array.from(w);
      if (chars.some(function (c) { return han.test(c); })) {
        runs++;
        words.push(chars.join(" ").replace(/([^\u3400-\u9fff\uf900-\ufaff]) (?=[^\u3400-\u9fff\uf900-\ufaff])/g, "$1"));
      } else { words.push(w); }
    });
    var text = words.join(" ");
    return runs === 1 && words.length === 1 ? "\"" + text + "\"" : text;
  }

  function run(updateURL) {
    if (!pagefind || composing) { return; }
    var s = state();
    var run = ++runNumber;
    if (updateURL) {
      var params = new URLSearchParams();
      fields.forEach(function (f) { if (s[f]) { params.set(f, s[f]); } });
      var qs = params.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    }
    var filters = {};
    filterNames.forEach(function (f) { if (s[f]) { filters[f] = s[f]; } });
    var any = s.q || Object.keys(filters).length;
    if (!any) {
      current = null;
      resultsEl.textContent = "";
      moreEl.hidden = true;
      statusEl.textContent = "输入关键词或选择筛选条件。";
      statusEl.removeAttribute("data-total");
      showCounts(null);
      return;
    }
    currentQuery = s.q;
    var t0 = performance.now();
    var options = { filters: filters };
    if (!s.q) { options.sort = { date: "desc" }; }
    pagefind.search(s.q ? pagefindQuery(s.q) : null, options).then(function (search) {
      if (run !== runNumber || !search) { return; }
      current = { results: search.results, shown: 0 };
      resultsEl.textContent = "";
      showCounts(search.filters);
      return showMore(run).then(function () {
        if (run !== runNumber) { return; }
        var total = search.results.length;
        statusEl.textContent = total === 0 ? "没有找到结果。" : "找到 " + total + " 条结果，按相关度排列。";
        statusEl.setAttribute("data-ms", (performance.now() - t0).toFixed(2));
        statusEl.setAttribute("data-total", String(total));
        statusEl.setAttribute("data-run", String(run));
        if (!filtersLoaded) { loadCounts(run, s, options); }
      });
    }).catch(function (err) {
      statusEl.textContent = "搜索出错（" + err.message + "）。";
    });
  }

  // The filter files hold every value's records (hundreds of KB on a large site): fetched once the
  // first results are on screen, then the counts of this search are filled in.
  var filtersLoaded = false;
  function loadCounts(run, s, options) {
    filtersLoaded = true;
    pagefind.filters().then(function () {
      if (run !== runNumber) { return; }
      return pagefind.search(s.q ? pagefindQuery(s.q) : null, options).then(function (search) {
        if (run === runNumber && search) { showCounts(search.filters); form.setAttribute("data-counts", "true"); }
      });
    }).catch(function () { filtersLoaded = false; });
  }

  function schedule() {
    if (composing) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { run(true); }, 120);
  }

  var q = control("q");
  // An input method sends input events for the pinyin it is composing: search only once the
  // characters are committed.
  q.addEventListener("compositionstart", function () { composing = true; });
  q.addEventListener("compositionend", function () { composing = false; schedule(); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); run(true); });
  form.addEventListener("input", function (ev) { if (!ev.isComposing) { schedule(); } });
  form.addEventListener("change", function () { clearTimeout(timer); run(true); });
  form.addEventListener("reset", function () { setTimeout(function () { run(true); }, 0); });
  moreEl.addEventListener("click", function () { showMore(runNumber); });

  var params = new URLSearchParams(location.search);
  fields.forEach(function (f) {
    var el = control(f);
    if (el && params.has(f)) { el.value = params.get(f); }
  });
  statusEl.textContent = "正在载入搜索…";
  var bundle = root.getAttribute("data-index");
  import(bundle + "pagefind.js").then(function (pf) {
    return pf.options({ bundlePath: bundle, excerptLength: 36, noWorker: true }).then(function () { return pf.init(); })
      .then(function () { return pf; });
  }).then(function (pf) {
    pagefind = pf;
    root.setAttribute("data-ready", "true");
    root.setAttribute("data-load-ms", performance.now().toFixed(0));
    run(false);
  }).catch(function (err) {
    statusEl.textContent = "无法载入搜索索引（" + err.message + "）。请使用下面的分类浏览。";
  });
})();
