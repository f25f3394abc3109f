/* Sort and filter for the evidence tables. Written for this site (MIT), no library, no network.
 *
 * A generated page marks a table with <div class="ev-controls" data-filter-columns="A,B">
 * right before it. This script adds a text box, one select per named column and a live
 * count above the table, and turns every header into a sort button (aria-sort kept current,
 * the new order announced). Keyboard: Tab reaches the sort buttons, Enter or Space sorts,
 * Left/Right move between sort buttons, Down goes into the rows and Up/Down move between them.
 */
(function () {
  "use strict";

  var NUMBER = /^(?:up to |from )?-?\d+(?:\.\d+)?/;

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function numberIn(text) {
    var match = text.match(/-?\d+(?:\.\d+)?/);
    return match ? parseFloat(match[0]) : NaN;
  }

  function tableAfter(controls) {
    var next = controls.nextElementSibling;
    while (next && next.tagName !== "TABLE" && !next.querySelector("table")) {
      next = next.nextElementSibling;
    }
    if (!next) return null;
    return next.tagName === "TABLE" ? next : next.querySelector("table");
  }

  function isNumeric(rows, index) {
    var seen = false;
    for (var i = 0; i < rows.length; i++) {
      var text = cellText(rows[i], index);
      if (!text || text === "not reported") continue;
      if (!NUMBER.test(text)) return false;
      seen = true;
    }
    return seen;
  }

  function visibleRows(body) {
    return Array.prototype.filter.call(body.rows, function (row) { return !row.hidden; });
  }

  /* The element that takes focus in a row: its first link, else its first cell. */
  function rowTarget(row) {
    var link = row.querySelector("a[href], button");
    if (link) return link;
    row.cells[0].tabIndex = -1;
    return row.cells[0];
  }

  function addKeyboard(table, buttons) {
    var body = table.tBodies[0];
    table.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var at = buttons.indexOf(event.target);
      var rows = visibleRows(body);
      var row = event.target.closest && event.target.closest("tbody tr");
      var index = row ? rows.indexOf(row) : -1;
      var next = null;
      if (at >= 0 && event.key === "ArrowRight") next = buttons[Math.min(at + 1, buttons.length - 1)];
      else if (at >= 0 && event.key === "ArrowLeft") next = buttons[Math.max(at - 1, 0)];
      else if (at >= 0 && event.key === "ArrowDown" && rows.length) next = rowTarget(rows[0]);
      else if (index >= 0 && event.key === "ArrowDown" && index + 1 < rows.length) {
        next = rowTarget(rows[index + 1]);
      } else if (index >= 0 && event.key === "ArrowUp") {
        next = index > 0 ? rowTarget(rows[index - 1]) : buttons[0];
      }
      if (next) {
        event.preventDefault();
        next.focus();
      }
    });
  }

  function makeSortable(table, status) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    table.setAttribute("data-ev-sortable", "");
    var buttons = [];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.dataset.evOrder = String(i); });
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ev-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      buttons.push(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        /* aria-sort only on the sorted column, as the ARIA table pattern asks. */
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        if (status) {
          status.textContent = "Sorted by " + button.textContent.trim() + ", " +
            (ascending ? "ascending" : "descending");
        }
        var current = Array.prototype.slice.call(body.rows);
        var numeric = isNumeric(current, index);
        current.sort(function (a, b) {
          var x = cellText(a, index), y = cellText(b, index), order;
          if (!x !== !y) return x ? -1 : 1;  /* empty cells last either way */
          if (numeric) {
            var nx = numberIn(x), ny = numberIn(y);
            if (isNaN(nx) !== isNaN(ny)) return isNaN(nx) ? 1 : -1;
            order = (nx - ny) || 0;
          } else {
            order = x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
          }
          if (!ascending) order = -order;
          return order || (Number(a.dataset.evOrder) - Number(b.dataset.evOrder));
        });
        current.forEach(function (row) { body.appendChild(row); });
      });
    });
    addKeyboard(table, buttons);
  }

  function addFilters(controls, table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var names = (controls.dataset.filterColumns || "").split(",").filter(Boolean);
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    var label = controls.dataset.label || "Filter";
    var search = document.createElement("input");
    search.type = "search";
    search.setAttribute("aria-label", label + ": text");
    search.placeholder = "Type to filter";
    var wrap = document.createElement("label");
    wrap.appendChild(document.createTextNode(label));
    wrap.appendChild(search);
    controls.appendChild(wrap);
    var selects = [];
    names.forEach(function (name) {
      var index = headers.indexOf(name);
      if (index < 0) return;
      var values = {};
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = cellText(row, index);
        if (text) values[text] = true;
      });
      var select = document.createElement("select");
      select.dataset.column = String(index);
      select.setAttribute("aria-label", name);
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "All";
      select.appendChild(all);
      Object.keys(values).sort().forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      });
      var box = document.createElement("label");
      box.appendChild(document.createTextNode(name));
      box.appendChild(select);
      controls.appendChild(box);
      selects.push(select);
    });
    var count = document.createElement("p");
    count.className = "ev-controls__count";
    count.setAttribute("aria-live", "polite");
    controls.appendChild(count);

    function apply() {
      var query = search.value.toLowerCase().trim();
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var visible = !query || row.textContent.toLowerCase().indexOf(query) >= 0;
        selects.forEach(function (select) {
          if (visible && select.value) {
            visible = cellText(row, Number(select.dataset.column)) === select.value;
          }
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = "Showing " + shown + " of " + body.rows.length + " rows";
    }
    search.addEventListener("input", apply);
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    apply();
  }

  var RECORD_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  /* Large tables ship their first rows in the page and the rest as JSON (data-rows-src):
   * rebuild the body from the JSON with textContent only, so no record text is parsed as HTML,
   * and links are made only from ids that look like record ids. */
  function loadRows(controls, table, done) {
    var request = new XMLHttpRequest();
    request.open("GET", controls.dataset.rowsSrc);
    request.responseType = "json";
    request.onload = function () {
      var data = request.response;
      if (request.status !== 200 || !data || !data.rows) { done(); return; }
      var body = table.tBodies[0];
      var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
        return th.textContent.replace(/\s+/g, " ").trim();
      });
      var fragment = document.createDocumentFragment();
      data.rows.forEach(function (row) {
        var tr = document.createElement("tr");
        for (var i = 1; i < row.length; i++) {
          var td = document.createElement("td");
          td.setAttribute("data-label", names[i - 1] || "");  /* the card label on phones */
          if (i === 1 && RECORD_ID.test(row[0])) {
            var a = document.createElement("a");
            a.href = row[0] + "/";
            a.textContent = row[1];
            td.appendChild(a);
          } else {
            td.textContent = row[i];
          }
          tr.appendChild(td);
        }
        fragment.appendChild(tr);
      });
      while (body.firstChild) body.removeChild(body.firstChild);
      body.appendChild(fragment);
      done();
    };
    request.onerror = function () { done(); };
    request.send();
  }

  function init() {
    var all = document.querySelectorAll(".ev-controls");
    Array.prototype.forEach.call(all, function (controls) {
      if (controls.dataset.evReady) return;
      var table = tableAfter(controls);
      if (!table) return;
      controls.dataset.evReady = "1";
      var enable = function () {
        var status = document.createElement("p");
        status.className = "ev-sr";
        status.setAttribute("role", "status");
        controls.appendChild(status);
        makeSortable(table, status);
        addFilters(controls, table);
      };
      if (controls.dataset.rowsSrc) {
        loadRows(controls, table, enable);
      } else {
        enable();
      }
    });
  }

  /* Material re-renders content on instant navigation and announces it on document$. */
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
