// The HTML report's stylesheet: light and dark (prefers-color-scheme), a narrow layout for
// phones, and a print layout ("Save as PDF" is the PDF export: docs/html-report.md).
#include "report/html_assets.hpp"

namespace pkgsizer::report {

const char* const kHtmlStyle = R"CSS(
:root { --bg: #ffffff; --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --panel: #f9fafb;
  --accent: #2563eb; --bar: #93c5fd; --up: #b91c1c; --down: #15803d; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #111827; --fg: #e5e7eb; --muted: #9ca3af; --line: #374151; --panel: #1f2937;
    --accent: #60a5fa; --bar: #1d4ed8; --up: #f87171; --down: #4ade80; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
#app { max-width: 1240px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.4rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 24px 0 8px; }
.meta { color: var(--muted); margin: 0 0 12px; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.card b { display: block; font-size: 1.15rem; font-variant-numeric: tabular-nums; }
.card span { color: var(--muted); font-size: .85rem; }
.reconcile { color: var(--muted); font-size: .85rem; margin: 6px 0 0; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.controls label { color: var(--muted); }
button, select, input { font: inherit; color: var(--fg); background: var(--panel);
  border: 1px solid var(--line); border-radius: 4px; padding: 3px 8px; }
button:hover { border-color: var(--accent); }
.crumbs { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; min-height: 1.6em; }
.crumbs a { color: var(--accent); cursor: pointer; text-decoration: underline; }
#treemap { width: 100%; height: 480px; border: 1px solid var(--line); border-radius: 6px;
  display: block; background: var(--panel); }
#treemap rect.tile { stroke: var(--bg); stroke-width: 1; cursor: pointer; }
#treemap rect.tile:hover { opacity: .85; }
#treemap rect.outline { fill: none; stroke: var(--bg); stroke-width: 1.5; pointer-events: none; }
#treemap text { font-size: 11px; fill: #111827; pointer-events: none; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: .85rem; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; max-height: 560px; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { background: var(--panel); position: sticky; top: 0; cursor: pointer; user-select: none; }
th.sorted::after { content: " \25BE"; }
th.sorted.asc::after { content: " \25B4"; }
td.name { white-space: normal; overflow-wrap: anywhere; min-width: 10em; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr { cursor: pointer; }
tbody tr:hover, tbody tr.selected { background: var(--panel); }
.bar { display: inline-block; height: 8px; background: var(--bar); border-radius: 2px; vertical-align: middle; }
#detail { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin-top: 12px; }
#detail:empty { display: none; }
#detail ul { list-style: none; padding-left: 16px; margin: 0; }
#detail li { overflow-wrap: anywhere; }
#detail .size { color: var(--muted); font-variant-numeric: tabular-nums; }
.why { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
#graph { width: 100%; border: 1px solid var(--line); border-radius: 6px; display: block; }
#graph rect { fill: var(--panel); stroke: var(--accent); }
#graph text { fill: var(--fg); font-size: 11px; }
#graph line { stroke: var(--muted); stroke-opacity: .6; }
#icicle { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; display: block; }
#icicle rect { stroke: var(--bg); stroke-width: .5; }
#icicle text { font-size: 11px; fill: #111827; pointer-events: none; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
tr.evidence td { white-space: normal; overflow-wrap: anywhere; color: var(--muted); font-size: .85rem; }
tr.evidence code { color: var(--fg); }
.up { color: var(--up); }
.down { color: var(--down); }
.note { color: var(--muted); font-size: .85rem; }
footer { color: var(--muted); font-size: .8rem; margin-top: 24px; }
@media (max-width: 700px) {
  #app { padding: 8px; }
  #treemap { height: 360px; }
  .hide-narrow { display: none; }
}
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --line: #cccccc; --panel: #ffffff; }
  .controls, .crumbs a.up-link, input, button, select { display: none !important; }
  .table-wrap { max-height: none; overflow: visible; border: none; }
  th { position: static; }
  #treemap { height: 420px; page-break-inside: avoid; }
  #graph, .cards { page-break-inside: avoid; }
  tbody tr { page-break-inside: avoid; }
  tr.evidence { display: table-row !important; }
}
)CSS";

}  // namespace pkgsizer::report
