/* Site search with Pagefind: the header box (overrides/partials/search.html) and the results
 * page (docs/search.md, /search/?q=TERMS). Written for this site (MIT), no library but the
 * Pagefind bundle that `make site` writes into pagefind/ next to the pages; nothing leaves the
 * site. Record text reaches the DOM only through textContent; Pagefind's excerpts are HTML it
 * has already escaped, with <mark> around the matched words.
 *
 * Every time results are shown, the document gets a `ev-search:results` event (detail: the query
 * and the number of results), which the tests and benchmarks/search_scale.py wait for.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  /* The site root is the folder above javascripts/, wherever the site is served from. */
  var ROOT = new URL("../", script ? script.src : location.href);
  var HEADER_RESULTS = 8;
  var PAGE_SIZE = 30;
  /* Ranking: word counts matter more and page length less than Pagefind's defaults
   * (termFrequency 1, pageLength 0.75, termSaturation 1.4), so a long study page that is the
   * record searched for (its title weighs 10, templates/study.md.j2) comes before a short claim
   * page that names it. Chosen on the query cases in tests/test_search.py. */
  var RANKING = { termFrequency: 0.2, pageLength: 0.2, termSaturation: 2 };
  var pagefind = null;

  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pf) {
        return pf.options({ baseUrl: ROOT.pathname, ranking: RANKING }).then(function () {
          return pf.init();
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  /* The index is written by `make site` (evidence search-index); a preview without it, or a
   * page opened from disk, says so instead of failing silently. */
  var UNAVAILABLE = "Search is not available here: the search index is built by `make site` " +
    "and needs the site served over http.";

  function announce(query, count) {
    document.dispatchEvent(new CustomEvent("ev-search:results",
      { detail: { query: query, count: count } }));
  }

  /* "Claim · ✓ Supported · Low certainty" from the marks of parts.search_facets. */
  function describe(meta) {
    var parts = [];
    if (meta.kind) parts.push(meta.kind);
    if (meta.verdict) parts.push(meta.verdict);
    if (meta.certainty) parts.push(meta.certainty + " certainty");
    if (meta.design) parts.push(meta.design);
    if (meta.type) parts.push(meta.type);
    return parts.join(" · ");
  }

  function resultItem(data, itemClass, linkClass) {
    var item = document.createElement("li");
    item.className = itemClass;
    var link = document.createElement("a");
    link.href = data.url;
    link.className = linkClass;
    var title = document.createElement("span");
    title.className = "ev-result__title";
    title.textContent = (data.meta && data.meta.title) || data.url;
    link.appendChild(title);
    var kind = describe(data.meta || {});
    if (kind) {
      var line = document.createElement("span");
      line.className = "ev-result__kind";
      line.textContent = kind;
      link.appendChild(line);
    }
    if (data.excerpt) {
      var excerpt = document.createElement("span");
      excerpt.className = "ev-result__excerpt";
      excerpt.innerHTML = data.excerpt;  /* escaped by Pagefind; only <mark> is markup */
      link.appendChild(excerpt);
    }
    item.appendChild(link);
    return item;
  }

  function resultsWord(n) {
    return n === 1 ? "1 result" : n + " results";
  }

  /* ---------- the header box ---------- */

  function headerSearch(root) {
    var input = root.querySelector("#ev-search-input");
    var list = root.querySelector("#ev-search-list");
    var status = root.querySelector("#ev-search-status");
    var form = input.form;
    var toggle = document.getElementById("__search");
    var idle = status.textContent.trim();
    var sequence = 0;
    var shown = null;  /* the query whose results are on screen (a trailing space changes none) */

    function open(state) {
      if (toggle && toggle.checked !== state) toggle.checked = state;
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    function show(query, found, datas) {
      list.textContent = "";
      datas.forEach(function (data) {
        list.appendChild(resultItem(data, "md-search-result__item",
                                    "md-search-result__link ev-result"));
      });
      if (found.results.length > datas.length) {
        var more = document.createElement("li");
        more.className = "md-search-result__item ev-result-more";
        var link = document.createElement("a");
        link.className = "md-search-result__link";
        link.href = new URL("search/?q=" + encodeURIComponent(query), ROOT).href;
        link.textContent = "All " + resultsWord(found.results.length) + " on the results page";
        more.appendChild(link);
        list.appendChild(more);
      }
      status.textContent = found.results.length
        ? resultsWord(found.results.length) : "No results for " + query;
      announce(query, found.results.length);
    }

    function run() {
      var query = input.value.trim();
      if (query === shown) return;
      var mine = ++sequence;
      shown = query;
      if (!query) {
        list.textContent = "";
        status.textContent = idle;
        return;
      }
      loadPagefind().then(function (pf) {
        return pf.search(query);
      }).then(function (found) {
        if (mine !== sequence) return null;
        var first = found.results.slice(0, HEADER_RESULTS);
        return Promise.all(first.map(function (r) { return r.data(); })).then(function (datas) {
          if (mine === sequence) show(query, found, datas);
        });
      }).catch(function () { status.textContent = UNAVAILABLE; });
    }

    function prepare() {
      loadPagefind().catch(function () { status.textContent = UNAVAILABLE; });
    }
    input.addEventListener("focus", function () { open(true); prepare(); });
    /* Pagefind's engine and the index's table of contents (about 150 KB, cached after the first
     * page) load once the page is idle, so the first results do not wait for them; not when
     * the reader has asked to save data, then the box loads them when it is used. */
    if (!(navigator.connection && navigator.connection.saveData)) {
      var later = window.requestIdleCallback || function (f) { setTimeout(f, 200); };
      if (document.readyState === "complete") later(prepare);
      else window.addEventListener("load", function () { later(prepare); });
    }
    input.addEventListener("input", run);
    form.addEventListener("reset", function () {
      setTimeout(function () { run(); input.focus(); }, 0);
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) setTimeout(function () { input.focus(); }, 50);
        else input.blur();
      });
    }
    root.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !root.contains(event.relatedTarget)) open(false);
    });
    root.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "Escape") {
        open(false);
        input.blur();
      } else if (event.key === "ArrowDown" && all.length) {
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at === 0 ? input : all[at - 1]).focus();
      } else {
        return;
      }
      event.preventDefault();
    });
    /* "/" (or "s") anywhere outside a form field goes to the search box, as in Material. */
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "/" || event.key === "s") {
        event.preventDefault();
        open(true);
        input.focus();
      }
    });
  }

  /* ---------- the results page ---------- */

  /* One labelled select per filter named in data-filters ("kind:Kind,verdict:Verdict"). */
  function makeFilters(box) {
    return (box.dataset.filters || "").split(",").filter(Boolean).map(function (pair) {
      var name = pair.split(":")[0];
      var label = document.createElement("label");
      label.appendChild(document.createTextNode(pair.split(":")[1] || name));
      var select = document.createElement("select");
      select.name = name;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "All";
      select.appendChild(all);
      label.appendChild(select);
      box.appendChild(label);
      return select;
    });
  }

  function fillFilter(select, values, chosen) {
    Object.keys(values).sort().forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value + " (" + values[value] + ")";
      option.selected = value === chosen;
      select.appendChild(option);
    });
  }

  function resultsPage(form) {
    var input = form.querySelector("input[name=q]");
    var list = document.getElementById("ev-search-results");
    var status = document.getElementById("ev-search-count");
    var more = document.getElementById("ev-search-more");
    var params = new URLSearchParams(location.search);
    var selects = makeFilters(form.querySelector("[data-filters]"));
    var sequence = 0;
    var found = null;
    var shown = 0;
    input.value = params.get("q") || "";
    Array.prototype.forEach.call(document.querySelectorAll(".ev-search-nojs"), function (p) {
      p.hidden = true;
    });

    function chosenFilters() {
      var filters = {};
      selects.forEach(function (select) {
        if (select.value) filters[select.name] = select.value;
      });
      return filters;
    }

    function showMore() {
      var mine = sequence;
      var next = found.results.slice(shown, shown + PAGE_SIZE);
      return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
        if (mine !== sequence) return;
        datas.forEach(function (data) {
          list.appendChild(resultItem(data, "ev-search-results__item", "ev-result"));
        });
        shown += datas.length;
        more.hidden = shown >= found.results.length;
      });
    }

    function run() {
      var query = input.value.trim();
      var filters = chosenFilters();
      var mine = ++sequence;
      var url = new URL(location.href);
      url.search = "";
      if (query) url.searchParams.set("q", query);
      Object.keys(filters).forEach(function (k) { url.searchParams.set(k, filters[k]); });
      history.replaceState(null, "", url.href);
      list.textContent = "";
      more.hidden = true;
      if (!query && !Object.keys(filters).length) {
        status.textContent = "Type words to search for, or choose a filter.";
        return Promise.resolve();
      }
      status.textContent = "Searching…";
      return loadPagefind().then(function (pf) {
        return pf.search(query || null, { filters: filters });
      }).then(function (result) {
        if (mine !== sequence) return null;
        found = result;
        shown = 0;
        return showMore().then(function () {
          if (mine !== sequence) return;
          var words = query ? " for “" + query + "”" : "";
          status.textContent = resultsWord(found.results.length) + words + ", best first.";
          announce(query, found.results.length);
        });
      });
    }

    loadPagefind().then(function (pf) { return pf.filters(); }).then(function (values) {
      selects.forEach(function (select) {
        fillFilter(select, values[select.name] || {}, params.get(select.name) || "");
      });
      return run();
    }).catch(function () { status.textContent = UNAVAILABLE; });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    selects.forEach(function (select) { select.addEventListener("change", run); });
    more.addEventListener("click", function () { showMore(); });
  }

  function init() {
    var box = document.querySelector("[data-ev-search]");
    if (box && !box.dataset.evReady) {
      box.dataset.evReady = "1";
      headerSearch(box);
    }
    var form = document.querySelector("[data-ev-search-page]");
    if (form && !form.dataset.evReady) {
      form.dataset.evReady = "1";
      resultsPage(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
