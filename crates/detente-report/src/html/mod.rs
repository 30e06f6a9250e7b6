//! Self-contained HTML reports: one file with every plot (inline SVG), the style sheet and a
//! few lines of script (sortable tables) inline. Nothing is fetched from the network.
//!
//! One module per report: [`trace_report`] (one negotiation), [`tournament_report`] and
//! [`sweep_report`]. Each writes its body section by section; this module wraps a body in the
//! page and a plot in a figure, and `table` writes the table heads and cells they share.

mod compliance;
mod sweep;
mod table;
mod tournament;
mod trace;

use detente_formats::xml::escape;

pub use sweep::sweep_report;
pub use tournament::tournament_report;
pub use trace::{COLLAPSE_AFTER, trace_report};

/// The style sheet of every report: class names are those the report bodies write (listed in
/// `docs/report.md`).
const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; margin: 0; color: #222; background: #fafafa; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.lead { color: #444; max-width: 60em; }
table { border-collapse: collapse; margin: 10px 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th::after { content: " \2195"; color: #999; font-size: 0.8em; }
table.sortable th[aria-sort="ascending"]::after { content: " \2191"; color: #222; }
table.sortable th[aria-sort="descending"]::after { content: " \2193"; color: #222; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
figure { margin: 16px 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 0.9em; margin-top: 4px; max-width: 60em; }
.figures { display: flex; flex-wrap: wrap; gap: 12px 28px; }
.note { color: #8a5a00; background: #fff8e6; padding: 6px 10px; border-left: 3px solid #E69F00; }
details.transcript > summary { cursor: pointer; font-weight: bold; margin: 8px 0; }
tr.action td.offer-text { max-width: 34em; }
table.compliance-ledger caption { caption-side: top; text-align: left; color: #555; font-size: 0.9em; padding-bottom: 4px; }
td.act-breach { font-weight: bold; }
.claim-breach { font-weight: bold; }
.verdict-false { color: #a3001b; background: #fde8eb; padding: 0 3px; border-radius: 2px; text-decoration: underline wavy; }
.verdict-true { color: #1f5f2a; }
ul.milestones { padding-left: 1.2em; }
footer { color: #777; font-size: 0.85em; margin-top: 40px; }
"#;

/// The script of every report: makes `table.sortable` tables sort by a clicked column (by
/// `data-value` when a cell has one) and marks the page ready (`data-ready`) for tests.
const SCRIPT: &str = r#"
(function () {
  function key(cell) {
    var v = cell.getAttribute('data-value');
    if (v === null) { v = cell.textContent.trim(); }
    var x = parseFloat(v);
    return (v !== '' && isFinite(x) && String(x) !== 'NaN' && /^[-+0-9.eE]+$/.test(v)) ? x : v.toLowerCase();
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === 'number' ? -1 : 1);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.documentElement.setAttribute('data-ready', 'yes');
})();
"#;

/// A plot's SVG document made fit to sit inside HTML (the namespace is implied there).
fn inline_svg(svg: &str) -> String {
    svg.replacen(r#" xmlns="http://www.w3.org/2000/svg""#, "", 1)
}

/// The whole HTML document: `body` (markup, already escaped) inside `<main>`, with the style
/// sheet, the sorting script and a footer naming the detente version.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"detente {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n<footer>Made by detente {}. Self-contained: every picture is inline SVG; nothing is loaded from elsewhere.</footer>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(title),
        env!("CARGO_PKG_VERSION"),
    )
}

/// A plot as a `<figure class="{class}">` with its caption (plain text, escaped here).
fn figure(class: &str, svg: &str, caption: &str) -> String {
    format!(
        "<figure class=\"{}\">{}<figcaption>{}</figcaption></figure>\n",
        escape(class),
        inline_svg(svg),
        escape(caption)
    )
}
