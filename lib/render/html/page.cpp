// SPDX-License-Identifier: MIT
#include "render/html/page.hpp"

namespace ecrlp::writer::html {

/// `<!DOCTYPE html>` to the opening of <body>, with the title as <h1>.
std::string page_start(std::string_view title) {
  std::string out = R"(<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>)";
  out += html_escape(title);
  out += R"(</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #1d2330; max-width: 1100px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e6ee; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; background: #f3f5fa; }
table.sortable th[data-dir="asc"]::after { content: " \25B2"; }
table.sortable th[data-dir="desc"]::after { content: " \25BC"; }
code { font-size: 0.95em; } td code { overflow-wrap: anywhere; } .muted { color: #667; }
svg.chart { display: block; margin: 0.5em 0 1em 0; }
svg.chart text { font-size: 11px; fill: #334; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; }
details summary { cursor: pointer; white-space: nowrap; } table.sortable td { vertical-align: top; }
details pre.why { font-size: 0.85em; margin: 0.3em 0 0.5em 0; padding: 0.4em 0.6em; background: #f6f7fb;
  border-left: 3px solid #c9d3e6; white-space: pre-wrap; max-width: 60em; }
</style>
</head>
<body>
<h1>)";
  out += html_escape(title);
  out += "</h1>\n";
  return out;
}

/// The table-sorting script and the closing tags.
///
/// Self-test (for the browser tests only): when the page is opened with the fragment
/// `#ecrlp-selftest`, the script clicks every heading of every sortable table twice (ascending,
/// then descending) with element.click(), and appends `<pre id="ecrlp-selftest">` holding, as
/// JSON, per table and column the sort keys of the rows before the clicks and after each click.
/// `chromium --headless --dump-dom 'file://...#ecrlp-selftest'` prints it. Without that exact
/// fragment the self-test does nothing.
std::string page_end() {
  return R"(<script>
//<![CDATA[
(function () {
  function key(cell) { var v = cell.getAttribute('data-v'); return v === null ? cell.textContent : v; }
  function keys(table, col) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return key(r.cells[col]); });
  }
  var tables = document.querySelectorAll('table.sortable');
  tables.forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('data-dir') !== 'asc';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('data-dir'); });
        th.setAttribute('data-dir', asc ? 'asc' : 'desc');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var a = key(x.cells[col]), b = key(y.cells[col]);
          var na = Number(a), nb = Number(b);
          var r = (a !== '' && b !== '' && !isNaN(na) && !isNaN(nb)) ? na - nb : a.localeCompare(b);
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  if (window.location.hash !== '#ecrlp-selftest') return;
  var report = [];
  tables.forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var entry = { table: table.id, column: col, heading: th.textContent, before: keys(table, col) };
      th.click();
      entry.first = th.getAttribute('data-dir');
      entry.asc = keys(table, col);
      th.click();
      entry.second = th.getAttribute('data-dir');
      entry.desc = keys(table, col);
      report.push(entry);
    });
  });
  var pre = document.createElement('pre');
  pre.id = 'ecrlp-selftest';
  pre.textContent = JSON.stringify(report);
  document.body.appendChild(pre);
})();
//]]>
</script>
</body>
</html>
)";
}

}  // namespace ecrlp::writer::html
