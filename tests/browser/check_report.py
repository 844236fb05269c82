#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Renders HTML reports with ecrlp and uses them in headless Chromium as a person would.

    check_report.py --ecrlp BUILD/ecrlp --out DIR [--only CHECK ...] [--skip CHECK ...]
                    [--expect-failure REGEX] CASE.json [CASE.json ...]

Each CASE.json (written by tests/browser/browser_tests.cmake) names a page and how to make it:
{"name": "preview", "args": ["preview", "--policy", ...], "charts": ["rules", ...]}. The page is
written to DIR/NAME.html, opened in one browser (1280 x 900), checked, and a screenshot of its top
is left in DIR/NAME.png. The checks (docs/testing.md):

  page         loaded without console errors and without loading anything (self-contained); the
               charts named in the case are drawn
  sort         each heading of each sortable table, clicked twice: rows ascending, then descending,
               by the column's sort key (numbers as numbers, text as text), whole rows moved
  explain      the first explanation of each table, unfolded by a click on its digest: hidden
               before, shown after (with the full digest), hidden again after a second click

(Of tables whose ids differ only in a number, such as images-0 and images-2, drawn by the same
code, the one with the most rows stands for all.)
  layout       at 1280 px nothing is wider than the window and there is no horizontal scroll, with
               the explanations folded and unfolded
  svg-text     each text of each chart lies inside the chart and overlaps no other text
  svg-labels   each "rule N" label of a chart shows rule N's whole description from the policy

Exit status: 0 when every check passed; 1 when one failed; 2 when the browser or ecrlp failed; 77
(ctest's SKIP_RETURN_CODE) when Chromium or chromedriver is not installed, except under CI=true,
where that is a failure (1). With --expect-failure REGEX (a known bug, browser_tests.cmake): 0 when
checks failed and each failure's message matches REGEX, else 1 (also when all passed: the bug is
fixed, and the test must be made a normal one).
"""

import argparse
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Browser, WebDriverError, find_browser  # noqa: E402

CHECKS = ("page", "sort", "explain", "layout", "svg-text", "svg-labels")
WIDTH, HEIGHT = 1280, 900


class CheckFailed(AssertionError):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


# ---- page ----------------------------------------------------------------------------------------
def check_page(b, case):
    errors = [m for m in b.console() if m.get("level") == "SEVERE"]
    require(not errors, "console errors: %s" % [m.get("message") for m in errors])
    loaded = b.script("return performance.getEntriesByType('resource').map(e => e.name)")
    require(not loaded, "the page loaded other files: %s" % loaded)
    # A file:// load that succeeds leaves no trace above: what in the page could load one.
    refers = b.script("""
      var out = [], external = /url\\(\\s*['"]?(?!data:|#)/;
      document.querySelectorAll('[src], link[href], object[data], iframe, embed, [style*="url("]')
        .forEach(function (e) { out.push(e.outerHTML.slice(0, 80)); });
      document.querySelectorAll('image, use, feImage').forEach(function (e) {
        var h = e.getAttribute('href') || e.getAttribute('xlink:href');
        if (h && h.charAt(0) !== '#') out.push(e.outerHTML.slice(0, 80));
      });
      Array.prototype.forEach.call(document.styleSheets, function (sheet) {
        if (sheet.href) out.push('stylesheet ' + sheet.href);
        Array.prototype.forEach.call(sheet.cssRules, function (r) {
          if (r instanceof CSSImportRule || external.test(r.cssText)) out.push(r.cssText.slice(0, 80));
        });
      });
      return out;""")
    require(not refers, "the page refers to other files: %s" % refers)
    drawn = b.script("""
      return arguments[0].map(function (id) {
        var svg = document.getElementById(id);
        if (!svg || svg.tagName.toLowerCase() !== 'svg') return id + ': no such chart';
        var marks = Array.prototype.filter.call(svg.querySelectorAll('rect, polygon, path'),
          function (m) { var r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
        return marks.length ? '' : id + ': nothing drawn';
      }).filter(Boolean);""", case.get("charts", []))
    require(not drawn, "charts: %s" % "; ".join(drawn))
    return "%d charts drawn" % len(case.get("charts", []))


# ---- sort ----------------------------------------------------------------------------------------
# Tables whose ids differ only in a number (images-0, images-2, repo-2-events ...) are drawn by the
# same code: of each such kind, the one with the most rows is checked.
TABLES_JS = """
  return Array.prototype.map.call(document.querySelectorAll(arguments[0]), function (t) {
    return [t.id, t.tHead.rows[0].cells.length, t.tBodies[0].rows.length]; });"""


def tables_of_each_kind(b, selector):
    tables = b.script(TABLES_JS, selector)
    require(all(t[0] for t in tables), "a table without an id")
    best = {}
    for t in tables:
        kind = re.sub(r"[0-9]+", "N", t[0])
        if kind not in best or t[2] > best[kind][2]:
            best[kind] = t
    return tables, list(best.values())


# The rows of a table (each tagged once with its first position), the heading's arrow, and the
# sort key of each cell: its data-v attribute when it has one (a time, a size in bytes, a full
# digest), else its text, as the page promises. `bad` is the first row out of the order `dir`
# (-1 when none): numbers when every key of the column is one, else text as the browser's
# collation for English compares it.
STATE_JS = """
  var table = document.getElementById(arguments[0]), col = arguments[1];
  var numeric = arguments[2], dir = arguments[3];
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function key(c) { var v = c.getAttribute('data-v'); return v === null ? c.textContent : v; }
  rows.forEach(function (r, i) { if (!r.hasAttribute('data-test-row')) r.setAttribute('data-test-row', i); });
  var keys = rows.map(function (r) { return key(r.cells[col]); }), bad = -1;
  var collator = new Intl.Collator('en');
  for (var i = 1; dir && i < keys.length && bad < 0; ++i) {
    var c = numeric ? Number(keys[i - 1]) - Number(keys[i]) : collator.compare(keys[i - 1], keys[i]);
    if (dir === 'desc' ? c < 0 : c > 0) bad = i;
  }
  var th = table.tHead.rows[0].cells[col];
  return {heading: th, title: th.textContent.trim(), dir: th.getAttribute('data-dir'),
          rows: rows.map(function (r) { return r.getAttribute('data-test-row'); }), keys: keys, bad: bad,
          content: rows.map(function (r) { return Array.prototype.map.call(r.cells, key).join('\\u001f'); })};"""

NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


def check_sort(b, case):
    every, tables = tables_of_each_kind(b, "table.sortable")
    require(tables, "no sortable table")
    columns = reordered = numeric_told_apart = 0
    for table, ncols, nrows in tables:
        for col in range(ncols):
            before = b.script(STATE_JS, table, col, False, None)
            keys = [k.strip() for k in before["keys"]]
            numeric = all(NUMBER.match(k) for k in keys)
            content = dict(zip(before["rows"], before["content"]))
            where = "table %s, column %d (%s)" % (table, col + 1, before["title"])
            for expected in ("asc", "desc"):
                b.click(before["heading"])
                after = b.script(STATE_JS, table, col, numeric, expected)
                require(after["dir"] == expected,
                        "%s: after a click the heading says %r, not %r" % (where, after["dir"], expected))
                require(sorted(after["rows"]) == sorted(before["rows"]),
                        "%s: the rows changed, not only their order" % where)
                moved = [r for r, c in zip(after["rows"], after["content"]) if content[r] != c]
                require(not moved, "%s: cells moved without their rows" % where)
                bad = after["bad"]
                if bad >= 0:
                    raise CheckFailed("%s: not in %s order%s: %r before %r (the column: %s)" % (
                        where, "ascending" if expected == "asc" else "descending",
                        " as numbers" if numeric else "", after["keys"][bad - 1], after["keys"][bad],
                        after["keys"]))
                reordered += after["rows"] != before["rows"]
            columns += 1
            if numeric and sorted(keys) != sorted(keys, key=float):
                numeric_told_apart += 1
    # Checks that could not fail on this page would prove nothing: the data must make them bite.
    require(reordered, "no click changed the order of any table: the sorting is untested")
    require(numeric_told_apart,
            "no numeric column sorts differently as text: sorting numbers as numbers is untested")
    return "%d of %d tables (one of each kind), %d columns clicked twice, %d of them numeric " \
           "where text order differs" % (len(tables), len(every), columns, numeric_told_apart)


# ---- explain -------------------------------------------------------------------------------------
def check_explain(b, case):
    every, tables = tables_of_each_kind(b, "table")
    found = b.script("""
      return arguments[0].map(function (id) {
        var d = document.getElementById(id).tBodies[0].querySelector('details');
        return d && [id, d.querySelector('summary'), d.querySelector(':scope > :not(summary)'),
                     d.closest('td').getAttribute('data-v')];
      }).filter(Boolean);""", [t[0] for t in tables])
    require(found, "no table with an explanation to unfold")
    for table, summary, content, digest in found:
        require(content is not None, "table %s: an explanation with nothing to unfold" % table)
        require(not b.displayed(content), "table %s: the explanation shows before a click" % table)
        b.click(summary)
        require(b.displayed(content), "table %s: a click on the digest does not show the "
                                      "explanation" % table)
        text = b.element_text(content)
        size = b.script("var r = arguments[0].getBoundingClientRect(); return [r.width, r.height];",
                        content)
        require(size[0] > 100 and size[1] > 20, "table %s: the explanation is %dx%d px" % (
            table, size[0], size[1]))
        require(digest and digest in text, "table %s: the explanation does not show the digest %s: %r"
                % (table, digest, text[:200]))
        require(re.search(r"\brule [0-9]+\b", text), "table %s: the explanation names no rule: %r" % (
            table, text[:200]))
        b.click(summary)
        require(not b.displayed(content), "table %s: a second click does not fold it" % table)
    return "the first explanation of %d tables (one of each kind) unfolded and folded" % len(found)


# ---- layout --------------------------------------------------------------------------------------
# What reaches past the window's edges: elements whose box does (the outermost of each nest: an
# overflowing table, not each of its cells), and elements whose content does though their box does
# not (a word too long for its box, which does not clip it: the innermost). Not what is not
# rendered (in a folded <details>), inside an SVG (the svg-text check's), or inside a box that clips
# or scrolls (only that box counts).
OVERFLOW_JS = """
  window.scrollTo(0, 0);
  var width = document.documentElement.clientWidth, box = [], content = [];
  function clipped(e) {
    for (var p = e.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  }
  function describe(e, left, right) {
    var name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
               (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '');
    return name + ' from x = ' + Math.round(left) + ' to ' + Math.round(right) + ' ' +
           JSON.stringify(e.textContent.trim().slice(0, 50));
  }
  document.querySelectorAll('body *').forEach(function (e) {
    if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') return;
    var r = e.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || !e.checkVisibility() || clipped(e)) return;
    if (r.right > width + 0.5 || r.left < -0.5) box.push([e, r.left, r.right]);
    else if (r.left + e.clientLeft + e.scrollWidth > width + 0.5 && getComputedStyle(e).overflowX === 'visible')
      content.push([e, r.left, r.left + e.clientLeft + e.scrollWidth]);
  });
  var outer = new Set(box.map(function (x) { return x[0]; }));
  var out = box.filter(function (x) { return !outer.has(x[0].parentElement); })
               .map(function (x) { return describe(x[0], x[1], x[2]); });
  content.filter(function (x) { return !content.some(function (y) { return y[0] !== x[0] && x[0].contains(y[0]); }); })
         .forEach(function (x) { out.push(describe(x[0], x[1], x[2]).replace(' from', "'s content from")); });
  return {width: width, scroll: document.documentElement.scrollWidth, elements: out};"""


def check_layout(b, case):
    for state in ("folded", "unfolded"):
        if state == "unfolded":
            b.script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
        got = b.script(OVERFLOW_JS)
        require(got["width"] == WIDTH, "the window is %d px wide, not %d" % (got["width"], WIDTH))
        require(got["scroll"] <= got["width"] and not got["elements"],
                "explanations %s: the page is %d px wide in a window of %d px; past its edge: %s" % (
                    state, got["scroll"], got["width"], "; ".join(got["elements"])))
    b.script("document.querySelectorAll('details').forEach(function (d) { d.open = false; })")
    return "fits %d px, explanations folded and unfolded" % WIDTH


# ---- svg-text ------------------------------------------------------------------------------------
def check_svg_text(b, case):
    got = b.script("""
      var out = [], count = 0;
      function name(t) { return JSON.stringify(t.textContent); }
      document.querySelectorAll('svg.chart').forEach(function (svg) {
        var box = svg.getBoundingClientRect();
        var texts = Array.prototype.map.call(svg.querySelectorAll('text'), function (t) {
          return [t, t.getBoundingClientRect()]; }).filter(function (x) { return x[1].width > 0; });
        count += texts.length;
        texts.forEach(function (x, i) {
          var r = x[1];
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 ||
              r.bottom > box.bottom + 0.5)
            out.push(svg.id + ': ' + name(x[0]) + ' reaches past the chart (text ' +
                     [r.left - box.left, r.right - box.left].map(Math.round) + ', chart 0,' +
                     Math.round(box.width) + ')');
          texts.slice(i + 1).forEach(function (y) {
            var s = y[1];
            if (r.left < s.right - 0.5 && s.left < r.right - 0.5 && r.top < s.bottom - 0.5 && s.top < r.bottom - 0.5)
              out.push(svg.id + ': ' + name(x[0]) + ' overlaps ' + name(y[0]));
          });
        });
      });
      return {count: count, problems: out};""")
    require(got["count"], "no text in any chart")
    require(not got["problems"], "; ".join(got["problems"]))
    return "%d chart texts inside their charts" % got["count"]


# ---- svg-labels ----------------------------------------------------------------------------------
def rule_descriptions(args):
    """{priority: {description, ...}} of every policy the command line makes the page show: each
    --policy FILE, else with --registry DIR each repository's lifecycle-policy.json."""
    files = [pathlib.Path(args[i + 1]) for i, a in enumerate(args[:-1]) if a == "--policy"]
    if not files and "--registry" in args:
        root = pathlib.Path(args[args.index("--registry") + 1]) / "repositories"
        files = sorted(root.glob("*/lifecycle-policy.json"))
    found = {}
    for f in files:
        policy = json.loads(f.read_text())
        if "lifecyclePolicyText" in policy:  # get-lifecycle-policy output
            policy = json.loads(policy["lifecyclePolicyText"])
        for rule in policy.get("rules", []):
            if rule.get("description"):
                found.setdefault(rule["rulePriority"], set()).add(" ".join(rule["description"].split()))
    return found


def check_svg_labels(b, case):
    descriptions = rule_descriptions(case["args"])
    # The texts of each chart that labels rules, in document order, one entry per <text>: what it
    # draws, without a <title> (a tooltip is not on the page).
    charts = b.script("""
      return Array.prototype.map.call(document.querySelectorAll('svg.chart'), function (svg) {
        return [svg.id, Array.prototype.map.call(svg.querySelectorAll('text'), function (t) {
          var drawn = t.cloneNode(true);
          drawn.querySelectorAll('title, desc').forEach(function (x) { x.remove(); });
          return drawn.textContent; })];
      }).filter(function (c) { return c[1].some(function (t) { return /^\\s*rule [0-9]+/.test(t); }); });""")
    if not charts:
        return "no chart labels rules on this page"

    # Compared without white space, so that a label wrapped onto lines (tspans, or consecutive
    # texts), at a space or within a word, still counts as whole.
    def compact(text):
        return re.sub(r"\s+", "", text)
    labels, cut = 0, []
    for chart, texts in charts:
        texts = [" ".join(t.split()) for t in texts]
        shown = compact("".join(texts))
        for text in texts:
            m = re.match(r"rule ([0-9]+)", text)
            if not m or int(m.group(1)) not in descriptions:
                continue
            labels += 1
            n = int(m.group(1))
            if not any(compact("rule %d: %s" % (n, d)) in shown for d in descriptions[n]):
                rest = text[m.end():].lstrip(": ")
                whole = [d for d in descriptions[n] if d.startswith(rest)] or sorted(descriptions[n])
                cut.append("%s: %r, but the description is %s" % (chart, text, " or ".join(
                    map(repr, whole))))
    require(labels, "charts label rules, but none with a description from the policies %s" % charts)
    require(not cut, "; ".join(cut))
    return "%d rule labels in %d charts show the whole description" % (labels, len(charts))


# ---- running -------------------------------------------------------------------------------------
def render(ecrlp, case, out):
    page = out / (case["name"] + ".html")
    with open(page, "wb") as f:
        done = subprocess.run([ecrlp] + case["args"], stdout=f, stderr=subprocess.PIPE, timeout=60)
    require(done.returncode == case.get("exit", 0), "ecrlp %s exited with %d: %s" % (
        " ".join(case["args"]), done.returncode, done.stderr.decode(errors="replace")))
    return page


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ecrlp", required=True)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--only", action="append", choices=CHECKS)
    parser.add_argument("--skip", action="append", choices=CHECKS, default=[])
    parser.add_argument("--expect-failure", metavar="REGEX")
    parser.add_argument("cases", nargs="+", type=pathlib.Path)
    options = parser.parse_args()
    checks = [c for c in (options.only or CHECKS) if c not in options.skip]
    chromium, driver = find_browser()
    if not chromium or not driver:
        missing = " and ".join(n for n, p in (("chromium", chromium), ("chromedriver", driver)) if not p)
        if os.environ.get("CI") == "true":
            print("FAILED: %s not installed, and CI=true: the browser tests must run "
                  "(scripts/setup.sh installs chromium and chromium-driver)" % missing)
            return 1
        print("SKIPPED: %s not installed (apt-get install chromium chromium-driver, or run "
              "scripts/test as root)" % missing)
        return 77

    cases = [json.loads(p.read_text()) for p in options.cases]
    options.out.mkdir(parents=True, exist_ok=True)
    failures = []
    start = time.monotonic()
    with Browser(chromium, driver, width=WIDTH, height=HEIGHT) as b:
        for case in cases:
            page = render(options.ecrlp, case, options.out)
            b.open(page.resolve().as_uri())
            for check in checks:
                t0 = time.monotonic()
                try:
                    said = globals()["check_" + check.replace("-", "_")](b, case)
                    print("ok    %-18s %-10s %s (%.1f s)" % (case["name"], check, said, time.monotonic() - t0))
                except CheckFailed as e:
                    failures.append((case["name"], check, str(e)))
                    print("FAIL  %-18s %-10s %s" % (case["name"], check, e))
                    b.open(page.resolve().as_uri())  # the next check starts from a fresh page
            b.screenshot(str(options.out / (case["name"] + ".png")))
    print("%d passed, %d failed (%d pages, %.1f s)" % (
        len(cases) * len(checks) - len(failures), len(failures), len(cases), time.monotonic() - start))
    if options.expect_failure is not None:
        others = [f for f in failures if not re.search(options.expect_failure, f[2])]
        if failures and not others:
            print("EXPECTED FAILURE: a known bug (tests/browser/browser_tests.cmake); this test "
                  "fails once it is fixed")
            return 0
        if not failures:
            print("UNEXPECTED PASS: the known bug is fixed; make this a normal test "
                  "(tests/browser/browser_tests.cmake)")
        else:
            print("FAILED otherwise than the known bug (%r): %s" % (options.expect_failure, others))
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    # Stopped (ctest's time-out, ^C): leave through the with-blocks, which end the browser.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.exit(main())
    except (WebDriverError, CheckFailed, subprocess.TimeoutExpired) as e:
        print("ERROR: %s" % e)
        sys.exit(2)
