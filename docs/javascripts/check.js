/* "Check a text": match each sentence of a pasted text to a claim, in the browser.
 * Written for this site (MIT), no library, no network beyond this site's own index file.
 *
 * The matcher is the one of `evidence scan` (build_tools/scan/), rewritten step for step:
 * words.py, terms.py, matcher.py, extract.py (plain text and Markdown) and sentences.py.
 * It reads claims/scan-index.json, which the build writes, so both use the same claims,
 * lexicon and numbers; tests/test_scan_browser.py checks that both give the same answers.
 * The pasted text is only ever read as text and shown with textContent, never as markup.
 */
(function () {
  "use strict";

  var MAX_CHARS = 200000;  /* about 30,000 words; longer pastes are refused with a message */
  /* Addresses relative to this script (javascripts/check.js), so they hold on any page and
   * under either engine: the index beside the claim pages, and the claim pages themselves. */
  var HERE = document.currentScript ? document.currentScript.src : document.baseURI;
  var INDEX_URL = new URL("../claims/scan-index.json", HERE).href;
  function claimUrl(id) { return new URL("../claims/" + encodeURIComponent(id) + "/", HERE).href; }
  var CONCEPT = "~", NEUTRAL = "#neutral", NUMBER_CUE = "#number";
  var WRAPPED_LINE = 60;

  /* ---- words.py ---------------------------------------------------------------------- */
  var TOKEN = /[a-z]+|[0-9]+(?:\.[0-9]+)?/g;
  var SIGNS = { "%": " percent ", "$": " dollar ", "\u2019": "", "'": "", "\u2018": "" };

  function normalise(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[%$\u2019'\u2018]/g, function (sign) { return SIGNS[sign]; });
  }

  function tokens(text, spelling) {
    var found = normalise(text).match(TOKEN) || [];
    return found.map(function (t) { return hasOwn(spelling, t) ? spelling[t] : t; });
  }

  function stem(word, suffixes, minStem) {
    if (word.length <= minStem || !/[a-z]/.test(word[0])) return word;
    var stripped = "";
    for (var i = 0; i < suffixes.length; i++) {
      var suffix = suffixes[i][0];
      if (endsWith(word, suffix) && word.length - suffix.length >= minStem) {
        word = word.slice(0, word.length - suffix.length) + suffixes[i][1];
        stripped = suffix;
        break;
      }
    }
    if (word.length >= 5 && endsWith(word, "e")) word = word.slice(0, -1);
    var last = word[word.length - 1];
    if ((stripped === "ed" || stripped === "ing") && word.length > minStem &&
        last === word[word.length - 2] && "aeiouy".indexOf(last) < 0 && "lsz".indexOf(last) < 0) {
      word = word.slice(0, -1);
    }
    return word;
  }

  function hasOwn(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function endsWith(text, end) { return text.slice(text.length - end.length) === end; }
  function isDigit(ch) { return ch >= "0" && ch <= "9"; }

  /* ---- lexicon.py: the JSON lexicon made ready to use ---------------------------------- */
  function prepare(data) {
    var lex = data.lexicon, byFirst = Object.create(null);
    lex.phrases.forEach(function (p) {
      var phrase = { label: p[0], segments: p[1] };
      var first = phrase.segments[0][0];
      (byFirst[first] = byFirst[first] || []).push(phrase);
    });
    lex.byFirst = byFirst;
    ["stopwords", "negations", "abbreviations", "number_words", "units", "topic",
      "topic_concepts"].forEach(function (key) { lex[key] = new Set(lex[key]); });
    data.claims.forEach(function (claim) {
      claim.phrasings = claim.phrasings.map(toMap);
      claim.centroid = toMap(claim.centroid);
    });
    return data;
  }

  function toMap(object) {
    var map = new Map();
    Object.keys(object).forEach(function (k) { map.set(k, object[k]); });
    return map;
  }

  /* ---- terms.py ---------------------------------------------------------------------- */
  function segmentAt(stems, at, segment) {
    if (at + segment.length > stems.length) return false;
    for (var i = 0; i < segment.length; i++) if (stems[at + i] !== segment[i]) return false;
    return true;
  }

  function phraseAt(stems, at, phrase, gap) {
    var first = phrase.segments[0];
    if (!segmentAt(stems, at, first)) return null;
    var covered = [], i, end = at + first.length;
    for (i = at; i < end; i++) covered.push(i);
    for (var s = 1; s < phrase.segments.length; s++) {
      var segment = phrase.segments[s], start = -1;
      var last = Math.min(end + gap, stems.length - segment.length);
      for (var j = end; j <= last; j++) {
        if (segmentAt(stems, j, segment)) { start = j; break; }
      }
      if (start < 0) return null;
      for (i = start; i < start + segment.length; i++) covered.push(i);
      end = start + segment.length;
    }
    return covered;
  }

  function findPhrases(stems, lex) {
    var labels = new Set(), covered = new Set();
    stems.forEach(function (word, at) {
      var phrases = lex.byFirst[word];
      if (!phrases) return;
      phrases.forEach(function (phrase) {
        var found = phraseAt(stems, at, phrase, lex.gap);
        if (!found || !found.length) return;
        labels.add(phrase.label);
        if (phrase.label.indexOf(CONCEPT) === 0 || phrase.label.indexOf(NEUTRAL) === 0) {
          found.forEach(function (i) { covered.add(i); });
        }
      });
    });
    return { labels: labels, covered: covered };
  }

  function termsOf(text, lex) {
    var words = tokens(text, lex.spelling);
    var stems = words.map(function (w) { return stem(w, lex.suffixes, lex.min_stem); });
    var phrases = findPhrases(stems, lex), covered = phrases.covered;
    var bag = new Set(), negated = false, hasNumber = false, topical = false;
    words.forEach(function (w, i) {
      var s = stems[i];
      if (!covered.has(i) && !lex.stopwords.has(w) && !lex.negations.has(w) && s.length > 1) {
        bag.add(s);
      }
      if (lex.negations.has(w) && !covered.has(i)) negated = true;
      if (isDigit(w[0]) || lex.number_words.has(w)) hasNumber = true;
      if (lex.topic.has(s)) topical = true;
      if (i && lex.units.has(s) && isDigit(stems[i - 1][0])) bag.add(stems[i - 1] + "_" + s);
    });
    phrases.labels.forEach(function (label) {
      if (label.indexOf(CONCEPT) === 0) {
        bag.add(label);
        if (lex.topic_concepts.has(label)) topical = true;
      }
    });
    return { bag: bag, labels: phrases.labels, negated: negated, hasNumber: hasNumber,
      topical: topical };
  }

  function checkability(terms, lex) {
    if (!terms.topical) return 0;
    var weights = lex.cue_weights, total = 0.0;
    Array.from(terms.labels).sort().forEach(function (label) {
      total += hasOwn(weights, label) ? weights[label] : 0.0;
    });
    if (terms.hasNumber) total += hasOwn(weights, NUMBER_CUE) ? weights[NUMBER_CUE] : 0.0;
    return total;
  }

  /* ---- index.py weigh and matcher.py --------------------------------------------------- */
  function weigh(bag, index) {
    var settings = index.lexicon.settings, terms = Array.from(bag).sort();
    var raw = terms.map(function (t) {
      var idf = hasOwn(index.idf, t) ? index.idf[t] : index.unknown_idf;
      return idf * (t.indexOf(CONCEPT) === 0 ? settings.concept_weight : 1.0);
    });
    var squares = 0.0;
    raw.forEach(function (w) { squares += w * w; });
    var norm = Math.sqrt(squares + settings.damping * settings.damping), vector = new Map();
    if (!norm) return vector;
    terms.forEach(function (t, i) { vector.set(t, raw[i] / norm); });
    return vector;
  }

  function dot(sentence, other) {
    var total = 0.0;
    sentence.forEach(function (weight, term) {
      if (other.has(term)) total += weight * other.get(term);
    });
    return total;
  }

  function claimScore(vector, claim, settings) {
    var nearest = 0.0;
    claim.phrasings.forEach(function (p, i) {
      var score = dot(vector, p);
      if (i === 0 || score > nearest) nearest = score;
    });
    var share = settings.phrasing_share;
    var score = share * nearest + (1 - share) * dot(vector, claim.centroid);
    /* one of the statement's concepts is enough (matcher.py says why) */
    if (claim.core.length && !claim.core.some(function (c) { return vector.has(c); })) {
      score *= 1 - settings.focus;
    }
    return score;
  }

  function match(text, index) {
    var lex = index.lexicon, settings = lex.settings, terms = termsOf(text, lex);
    var cues = checkability(terms, lex), vector = weigh(terms.bag, index);
    var best = null, top = 0.0;
    index.claims.forEach(function (claim) {
      var score = claimScore(vector, claim, settings);
      if (score > top) { best = claim; top = score; }
    });
    var checkable = cues >= lex.checkable_threshold;
    var strong = terms.topical && cues >= 0 && top >= settings.strong;
    if (best && (strong || (checkable && top >= settings.threshold))) {
      /* a claim of mixed direction (negated null) is never contradicted (matcher.py) */
      var against = best.negated !== null && terms.negated !== best.negated;
      /* a contradiction needs a close match (matcher.py says why) */
      if (!against || top >= settings.strong) {
        return { status: against ? "against" : "matched", claim: best, score: top,
          best: best.id, cues: cues };
      }
      checkable = true;
    }
    return { status: checkable ? "candidate" : "not-checkable", claim: null, score: top,
      best: best ? best.id : null, cues: cues };
  }

  /* ---- extract.py (plain text and Markdown) -------------------------------------------- */
  var LINE_MARKER = /^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+)/;
  var MD_INLINE = /!?\[([^\]\n]*)\]\([^)\n]*\)|<[^>\n]*>|[*_`]/g;

  function Visible() { this.parts = []; this.starts = []; this.ends = []; }
  Visible.prototype.add = function (chars, start) {
    this.parts.push(chars);
    for (var i = 0; i < chars.length; i++) { this.starts.push(start + i); this.ends.push(start + i + 1); }
  };

  function textLine(out, line, offset) {
    var start = 0, marker = LINE_MARKER.exec(line);
    if (marker && marker[0].length > 0) {
      out.add("\n", offset);
      start = marker[0].length;
    }
    var rest = line.slice(start), at = 0, found;
    MD_INLINE.lastIndex = 0;
    while ((found = MD_INLINE.exec(rest)) !== null) {
      out.add(rest.slice(at, found.index), offset + start + at);
      if (found[1]) out.add(found[1], offset + start + found.index + found[0].indexOf("[") + 1);
      at = found.index + found[0].length;
      if (!found[0].length) MD_INLINE.lastIndex++;
    }
    out.add(rest.slice(at), offset + start + at);
  }

  function extractText(raw) {
    var out = new Visible(), at = 0;
    while (at <= raw.length) {
      var end = raw.indexOf("\n", at);
      if (end < 0) end = raw.length;
      textLine(out, raw.slice(at, end), at);
      if (end < raw.length) out.add("\n", end);
      at = end + 1;
    }
    out.text = out.parts.join("");
    return out;
  }

  /* ---- sentences.py ------------------------------------------------------------------ */
  var ENDS_SENTENCE = ".!?:\"\u201d\u2019)";
  var BOUNDARY = /[.!?]+["'\u201d\u2019)\]]*\s+(?=["'\u201c\u2018(\[]?[A-Z0-9])/g;
  var LAST_WORD = /([A-Za-z]+)\.+$/;
  var INITIALS = /(?:^|[^A-Za-z])(?:[A-Za-z]\.)+$/;

  function codePoints(text) { return Array.from(text).length; }

  function blocks(text) {
    var found = [], start = 0, lineStart = 0, at = text.indexOf("\n");
    while (at >= 0) {
      var line = text.slice(lineStart, at).trim();
      var wrapped = codePoints(line) >= WRAPPED_LINE &&
        ENDS_SENTENCE.indexOf(line[line.length - 1]) < 0;
      if (!wrapped) { found.push([start, at]); start = at + 1; }
      lineStart = at + 1;
      at = text.indexOf("\n", at + 1);
    }
    found.push([start, text.length]);
    return found;
  }

  function isAbbreviation(before, abbreviations) {
    if (!endsWith(before, ".")) return false;
    if (INITIALS.test(before)) return true;
    var word = LAST_WORD.exec(before);
    return !!(word && abbreviations.has(word[1].toLowerCase()));
  }

  function pieces(text, start, end, abbreviations) {
    var block = text.slice(start, end), found = [], at = 0, m;
    BOUNDARY.lastIndex = 0;
    while ((m = BOUNDARY.exec(block)) !== null) {
      var stop = m.index + m[0].replace(/\s+$/, "").length;
      if (!isAbbreviation(block.slice(Math.max(at, m.index - 32), m.index + 1), abbreviations)) {
        found.push([start + at, start + stop]);
        at = m.index + m[0].length;
      }
    }
    found.push([start + at, end]);
    return found;
  }

  function splitSentences(visible, abbreviations) {
    var text = visible.text, found = [];
    blocks(text).forEach(function (block) {
      pieces(text, block[0], block[1], abbreviations).forEach(function (piece) {
        var start = piece[0], end = piece[1];
        while (start < end && /\s/.test(text[start])) start++;
        while (end > start && /\s/.test(text[end - 1])) end--;
        if (start < end && /[A-Za-z0-9]/.test(text.slice(start, end))) {
          found.push({ text: text.slice(start, end).replace(/\s+/g, " "),
            start: visible.starts[start], end: visible.ends[end - 1] });
        }
      });
    });
    return found;
  }

  /* ---- annotate.py ------------------------------------------------------------------- */
  function annotate(raw, index) {
    var sentences = splitSentences(extractText(raw), index.lexicon.abbreviations);
    return sentences.map(function (s) {
      var m = match(s.text, index), claim = m.claim;
      return { sentence: s.text, start: s.start, end: s.end, status: m.status,
        checkable: m.status !== "not-checkable", claim: claim ? claim.id : null,
        score: m.score, best: m.best, verdict: claim ? claim.verdict : null,
        certainty: claim ? claim.certainty : null, plain: claim ? claim.plain : null };
    });
  }

  /* ---- the page ---------------------------------------------------------------------- */
  var LABELS = { "matched": "Asserts a claim", "against": "Runs against a claim",
    "candidate": "No claim yet", "not-checkable": "Not checkable" };
  var NOTES = {
    "candidate": "A checkable statement the evidence base has no claim for yet: a candidate " +
      "for a new claim.",
    "not-checkable": "States no checkable fact about ketamine for CRPS (a definition, " +
      "background, a story or the clinic's own arrangements)." };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function claimBlock(item, claim) {
    var box = element("div", "ev-check__claim");
    var link = element("a", null, claim.statement);
    link.href = claimUrl(claim.id);
    var head = element("p");
    head.appendChild(element("span", "ev-check__label",
      item.status === "against" ? "Runs against: " : "Claim: "));
    head.appendChild(link);
    box.appendChild(head);
    var verdict = claim.verdict_words + (claim.certainty_words ?
      " \u00b7 " + claim.certainty_words.toLowerCase() + " certainty" : "");
    box.appendChild(element("p", "ev-check__verdict", verdict));
    box.appendChild(element("p", "ev-check__plain", claim.plain));
    return box;
  }

  function render(list, items, index) {
    var byId = Object.create(null);
    index.claims.forEach(function (c) { byId[c.id] = c; });
    var fragment = document.createDocumentFragment();
    items.forEach(function (item) {
      var row = element("li", "ev-check__item ev-check__item--" + item.status);
      row.dataset.status = item.status;
      if (item.claim) row.dataset.claim = item.claim;
      row.appendChild(element("p", "ev-check__status", LABELS[item.status]));
      row.appendChild(element("blockquote", "ev-check__sentence", item.sentence));
      if (item.claim) row.appendChild(claimBlock(item, byId[item.claim]));
      else row.appendChild(element("p", "ev-check__note", NOTES[item.status]));
      fragment.appendChild(row);
    });
    list.textContent = "";
    list.appendChild(fragment);
  }

  function summary(items) {
    var counts = { "matched": 0, "against": 0, "candidate": 0, "not-checkable": 0 };
    items.forEach(function (item) { counts[item.status]++; });
    return items.length + " sentences: " + counts.matched + " assert a claim, " +
      counts.against + " run against one, " + counts.candidate + " have no claim yet, " +
      counts["not-checkable"] + " are not checkable.";
  }

  function form(root) {
    var status = root.querySelector("[role=status]");
    var label = element("label", "ev-check__input-label", "Text to check");
    var input = element("textarea");
    input.id = label.htmlFor = "ev-check-input";
    input.rows = 12;
    input.spellcheck = false;
    input.placeholder = "Paste a text here";
    var button = element("button", "md-button md-button--primary", "Check the text");
    button.type = "button";
    button.id = "ev-check-run";
    var row = element("p");
    row.appendChild(button);
    var list = element("ol", "ev-check__results");
    [label, input, row].forEach(function (node) { root.insertBefore(node, status); });
    root.appendChild(list);
    return { input: input, button: button, status: status, list: list };
  }

  function setUp(root) {
    var ui = form(root), index = null;
    ui.status.textContent = "Loading the claims\u2026";
    ui.button.disabled = true;
    fetch(INDEX_URL, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        index = prepare(data);
        window.evidenceCheck.index = index;
        ui.button.disabled = false;
        ui.status.textContent = "Ready: " + index.claims.length + " claims.";
      })
      .catch(function () {
        ui.status.textContent = "The claims could not be loaded, so nothing can be checked " +
          "here. The command `evidence scan FILE` does the same check.";
      });
    ui.button.addEventListener("click", function () {
      var text = ui.input.value;
      ui.list.textContent = "";
      if (!index) return;
      if (text.length > MAX_CHARS) {
        ui.status.textContent = "This text has " + text.length.toLocaleString("en") +
          " characters; the checker reads up to " + MAX_CHARS.toLocaleString("en") +
          " at a time (about 30,000 words). Paste it in parts.";
        return;
      }
      if (!text.trim()) { ui.status.textContent = "Paste a text first."; return; }
      var started = performance.now();
      var items = annotate(text, index);
      render(ui.list, items, index);
      ui.status.textContent = summary(items) + " (" +
        Math.round(performance.now() - started) + " ms)";
    });
  }

  window.evidenceCheck = { annotate: annotate, prepare: prepare, match: match,
    maxChars: MAX_CHARS, index: null };
  document.querySelectorAll("[data-ev-check]").forEach(setUp);
})();
