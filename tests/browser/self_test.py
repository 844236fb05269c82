#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shows that each check of check_report.py can fail: feeds it pages broken on purpose.

    self_test.py --ecrlp BUILD/ecrlp --out DIR CASE.json

CASE.json is a page with sortable tables, explanations and a rule chart (the preview). Each
mutant below is that page with one defect (a sort that compares numbers as text, an explanation
that never shows, an element wider than the window, a chart text outside its chart ...); the
named check must fail on it with the expected message, and the intact page must pass. A mutation
that no longer applies (the page changed) is a failure too, so that this test never goes vacuous.
Also runs check_report.py without a browser on PATH: skipped (77) outside CI, failed under CI=true.
Exit status 0 when every mutant was caught; 77 without Chromium (as check_report.py).
"""

import argparse
import json
import os
import pathlib
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_report as cr  # noqa: E402
from webdriver import Browser, find_browser  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_report.py")
LONG_WORD = "x" * 400


# (name, check, [(old, new), ...] or a function of (html, case), the failure expected: a regex, or
# None when the check must pass)
MUTANTS = [
    ("intact page", "all", [], None),
    ("numbers compared as text", "sort",
     [("!isNaN(na) && !isNaN(nb)", "false")], r"not in ascending order as numbers"),
    ("clicks that do not reorder", "sort",
     [("rows.forEach(function (r) { body.appendChild(r); });", "")], r"not in (a|de)scending order"),
    ("both directions reversed", "sort",
     [("return asc ? r : -r;", "return asc ? -r : r;")], r"not in ascending order"),
    ("no arrow on the heading", "sort",
     [("th.setAttribute('data-dir', asc ? 'asc' : 'desc');", "")], r"the heading says None"),
    ("a row lost while sorting", "sort",
     [("rows.forEach(function (r) { body.appendChild(r); });",
       "rows.forEach(function (r) { body.appendChild(r); }); body.removeChild(rows[0]);")],
     r"the rows changed"),
    ("one column sorted alone", "sort",
     [("rows.forEach(function (r) { body.appendChild(r); });",
       "rows.map(function (r) { return r.cells[col].innerHTML; }).forEach(function (h, i) {"
       " body.rows[i].cells[col].innerHTML = h; });")],
     r"cells moved without their rows"),
    ("explanation never shown", "explain",
     [("</style>", "details pre.why { display: none; }\n</style>")],
     r"does not show the explanation"),
    ("explanation shown before a click", "explain",
     [("<details>", "<details open=\"open\">")], r"shows before a click"),
    ("explanation without its digest", "explain",
     [("<pre class=\"why\">sha256:", "<pre class=\"why\">")], r"does not show the digest"),
    ("an element wider than the window", "layout",
     [("</h1>", "</h1>\n<div id=\"wide\" style=\"width: 1400px\">wide</div>")],
     r"past its edge: div#wide from x = 32 to 1432"),
    ("an explanation wider than the window when unfolded", "layout",
     [("<pre class=\"why\">", "<pre class=\"why\">" + LONG_WORD + "\n")],
     r"^explanations unfolded: .*past its edge: pre\.why's content from x = [0-9]+ to [0-9]+ \"x{50}"),
    ("a chart text past the chart's left edge", "svg-text",
     [("x=\"252\"", "x=\"40\"")], r"reaches past the chart"),
    ("two chart texts on each other", "svg-text",
     [("</svg>", "<text x=\"252\" y=\"21.0\" text-anchor=\"end\">rule 1</text></svg>")],
     r"overlaps"),
    # The page wraps a long rule label onto lines (the intact page passes svg-labels with it).
    ("a cut rule label, whole in its tooltip", "svg-labels",
     [("<tspan x=\"252\" dy=\"0\">rule 1: Keep the 3 newest production</tspan>"
       "<tspan x=\"252\" dy=\"13\">images</tspan>",
       "<title>rule 1: Keep the 3 newest production images</title>rule 1: Keep the 3 newest "
       "production ima\u2026")], r"but the description is"),
    ("a rule label cut shorter", "svg-labels",
     [("<tspan x=\"252\" dy=\"13\">images</tspan>", "")], r"but the description is"),
    ("a script error", "page", [("</body>", "<script>null.f();</script></body>")], r"console errors"),
    ("a file loaded from outside the page", "page",
     [("</body>", "<img src=\"other.png\" alt=\"\" /></body>")], r"loaded other files|console errors"),
    ("a file that exists loaded from outside the page", "page",
     [("</body>", "<img src=\"mutant-00.html\" alt=\"\" /></body>")],
     r"refers to other files: \['<img src=\"mutant-00.html\""),
    ("a style that loads a file", "page",
     [("</style>", "body { background: url(\"mutant-00.html\"); }\n</style>")],
     r"refers to other files: \['body \{ background: url"),
    ("a chart missing", "page", [("id=\"rules\"", "id=\"rule-bars\"")], r"rules: no such chart"),
    ("a chart that draws nothing", "page",
     [("</style>", "svg#rules rect { display: none; }\n</style>")], r"rules: nothing drawn"),
]


def mutate(html, case, how):
    if callable(how):
        changed = how(html, case)
        cr.require(changed != html, "the mutation changed nothing (has the page changed?)")
        return changed
    for old, new in how:
        cr.require(old in html, "the page no longer has %r (has it changed?)" % old)
        html = html.replace(old, new)
    return html


def without_browser():
    """check_report.py where no browser is installed: skipped outside CI, a failure under CI."""
    env = dict(os.environ, PATH="/nonexistent", ECRLP_CHROMIUM="", ECRLP_CHROMEDRIVER="")
    out = []
    for ci, expected in (("", 77), ("true", 1)):
        env["CI"] = ci
        done = subprocess.run([sys.executable, "-B", SCRIPT, "--ecrlp", "/nonexistent", "--out",
                               "/nonexistent", "/nonexistent.json"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        said = done.stdout.decode(errors="replace").strip()
        cr.require(done.returncode == expected, "without a browser and CI=%r: exit %d, not %d: %s" % (
            ci, done.returncode, expected, said))
        out.append("CI=%r: exit %d, %s" % (ci, expected, said.split(":")[0]))
    return "; ".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ecrlp", required=True)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("case", type=pathlib.Path)
    options = parser.parse_args()
    case = json.loads(options.case.read_text())
    missed = []
    try:
        print("ok    no browser: %s" % without_browser())
    except cr.CheckFailed as e:
        missed.append("no browser")
        print("FAIL  no browser: %s" % e)

    chromium, driver = find_browser()
    if not chromium or not driver:
        return subprocess.run([sys.executable, "-B", SCRIPT, "--ecrlp", options.ecrlp, "--out",
                               str(options.out), str(options.case)]).returncode
    options.out.mkdir(parents=True, exist_ok=True)
    html = cr.render(options.ecrlp, case, options.out).read_text()
    with Browser(chromium, driver, width=cr.WIDTH, height=cr.HEIGHT) as b:
        for k, (name, check, how, expected) in enumerate(MUTANTS):
            # The intact page: every check.
            checks = list(cr.CHECKS) if check == "all" else [check]
            try:
                page = options.out / ("mutant-%02d.html" % k)
                page.write_text(mutate(html, case, how))
                b.open(page.resolve().as_uri())
                failure = None
                for c in checks:
                    try:
                        getattr(cr, "check_" + c.replace("-", "_"))(b, case)
                    except cr.CheckFailed as e:
                        failure = "%s: %s" % (c, e)
                        break
                if expected is None:
                    cr.require(failure is None, "should pass, but %s" % failure)
                    print("ok    %-52s %s passed" % (name, "/".join(checks)))
                else:
                    cr.require(failure is not None, "check %s passed" % check)
                    cr.require(re.search(expected, failure.split(": ", 1)[1]),
                               "failed otherwise than expected (%r): %s" % (expected, failure))
                    print("ok    %-52s caught by %s" % (name, failure[:160]))
            except cr.CheckFailed as e:
                missed.append(name)
                print("FAIL  %-52s %s" % (name, e))
    print("%d passed, %d failed" % (len(MUTANTS) + 1 - len(missed), len(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # ends the browser on the way out
    sys.exit(main())
