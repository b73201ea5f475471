// sitegen explore page: filters and search over data/search.json, entirely in the browser.
// Progressive enhancement: without JavaScript the page still lists every filter target as a link.
(function () {
  "use strict";
  var root = document.querySelector(".explore");
  if (!root) { return; }
  var form = document.getElementById("filters");
  var statusEl = document.getElementById("status");
  var resultsEl = document.getElementById("results");
  var fields = ["q", "year", "kind", "ekind", "entity"];
  var index = null;
  var postingCache = {};
  var fold = {};

  function control(name) { return form.elements.namedItem(name); }

  function normalize(text) {
    var s = String(text || "").normalize("NFKC").toLowerCase();
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      c = fold[c] || c;
      if (/[\u3400-\u4dbf\u4e00-\u9fff0-9a-z]/.test(c)) { out.push(c); }
    }
    return out;
  }

  // The spellings of a normalized character: itself, upper case and full width for Latin letters
  // and digits, and the Traditional forms folded to it.
  function spellings(c) {
    var out = [c];
    if (/[a-z]/.test(c)) { out.push(c.toUpperCase()); }
    if (/[a-z0-9]/.test(c)) {
      out.slice().forEach(function (x) { out.push(String.fromCharCode(x.charCodeAt(0) + 0xFEE0)); });
    }
    for (var t in fold) { if (fold.hasOwnProperty(t) && fold[t] === c) { out.push(t); } }
    return out;
  }

  function postings(gram) {
    if (postingCache.hasOwnProperty(gram)) { return postingCache[gram]; }
    var enc = index.grams[gram];
    var list = [];
    if (enc) {
      var prev = 0;
      var parts = enc.split(",");
      for (var i = 0; i < parts.length; i++) { prev += parseInt(parts[i], 36); list.push(prev); }
    }
    postingCache[gram] = list;
    return list;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
  }

  // Documents matching the query: intersection of the posting lists of its character bigrams.
  function queryDocs(q) {
    var chars = normalize(q);
    if (chars.length === 0) { return null; }
    if (chars.length === 1) {
      // One character has no bigram: scan the titles for it, in every spelling that normalizes to it
      // (plain indexOf per title, no per-title normalization: fast enough for 100,000+ documents).
      var single = postings(chars[0]);
      var forms = spellings(chars[0]);
      var hits = [];
      for (var d = 0; d < index.docs.length; d++) {
        var title = index.docs[d][1];
        for (var v = 0; v < forms.length; v++) {
          if (title.indexOf(forms[v]) >= 0) { hits.push(d); break; }
        }
      }
      return hits.length ? hits : single;
    }
    var result = null;
    for (var k = 0; k + 1 < chars.length; k++) {
      var list = postings(chars[k] + chars[k + 1]);
      result = result === null ? list : intersect(result, list);
      if (result.length === 0) { break; }
    }
    return result || [];
  }

  function state() {
    var s = {};
    fields.forEach(function (f) { var el = control(f); s[f] = el ? String(el.value || "").trim() : ""; });
    return s;
  }

  // Whether the space-separated list `list` has the item `item` (no string building: this runs
  // for every document on a filter-only search).
  function hasItem(list, item) {
    var from = 0;
    for (;;) {
      var i = list.indexOf(item, from);
      if (i < 0) { return false; }
      var end = i + item.length;
      if ((i === 0 || list.charCodeAt(i - 1) === 32) && (end === list.length || list.charCodeAt(end) === 32)) { return true; }
      from = i + 1;
    }
  }

  function matchesFilters(doc, s) {
    var filtered = s.year || s.kind || s.ekind || s.entity;
    if (!filtered) { return true; }
    if (doc[0] !== "e") { return false; }
    if (s.year && doc[4] !== s.year) { return false; }
    if (s.kind && doc[5] !== s.kind) { return false; }
    if (s.entity && !hasItem(doc[6], s.entity)) { return false; }
    if (s.ekind && !hasItem(doc[7], s.ekind)) { return false; }
    return true;
  }

  function render(list, total, ms) {
    resultsEl.textContent = "";
    var frag = document.createDocumentFragment();
    list.forEach(function (doc) {
      var li = document.createElement("li");
      li.className = "result result-" + doc[0];
      var label = document.createElement("span");
      label.className = "result-type";
      label.textContent = doc[0] === "e" ? "事件" : doc[0] === "n" ? "实体" : "文章";
      var a = document.createElement("a");
      a.href = doc[2];
      a.textContent = doc[1];
      var meta = document.createElement("span");
      meta.className = "result-meta";
      meta.textContent = doc[3];
      li.appendChild(label);
      li.appendChild(a);
      li.appendChild(meta);
      frag.appendChild(li);
    });
    resultsEl.appendChild(frag);
    statusEl.textContent = total === 0 ? "没有找到结果。" :
      "找到 " + total + " 条结果" + (total > list.length ? "，显示前 " + list.length + " 条" : "") + "。";
    statusEl.setAttribute("data-ms", ms.toFixed(2));
    statusEl.setAttribute("data-total", String(total));
  }

  function run(updateURL) {
    if (!index) { return; }
    var t0 = performance.now();
    var s = state();
    var candidates = queryDocs(s.q);
    var out = [];
    var total = 0;
    var n = candidates === null ? index.docs.length : candidates.length;
    var any = s.q || s.year || s.kind || s.ekind || s.entity;
    if (any) {
      for (var i = 0; i < n; i++) {
        var id = candidates === null ? i : candidates[i];
        var doc = index.docs[id];
        if (!matchesFilters(doc, s)) { continue; }
        total++;
        if (out.length < 200) { out.push(doc); }
      }
    }
    var ms = performance.now() - t0;
    if (any) { render(out, total, ms); } else { resultsEl.textContent = ""; statusEl.textContent = "输入关键词或选择筛选条件。"; }
    if (updateURL) {
      var params = new URLSearchParams();
      fields.forEach(function (f) { if (s[f]) { params.set(f, s[f]); } });
      var qs = params.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    }
  }

  function loadFromURL() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (f) {
      var el = control(f);
      if (el && params.has(f)) { el.value = params.get(f); }
    });
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(true); });
  form.addEventListener("input", function () { run(true); });
  form.addEventListener("change", function () { run(true); });
  form.addEventListener("reset", function () { setTimeout(function () { run(true); }, 0); });

  loadFromURL();
  statusEl.textContent = "正在载入索引…";
  fetch(root.getAttribute("data-index"))
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      index = data;
      var f = (data.fold || "").split("|");
      if (f.length === 2) { for (var i = 0; i < f[0].length; i++) { fold[f[0].charAt(i)] = f[1].charAt(i); } }
      root.setAttribute("data-ready", "true");
      root.setAttribute("data-load-ms", performance.now().toFixed(0));
      run(false);
    })
    .catch(function (err) {
      statusEl.textContent = "无法载入搜索索引（" + err.message + "）。请使用下面的分类浏览。";
    });
})();
