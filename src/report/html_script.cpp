// The HTML report's script: lays out the page from the embedded JSON. Written for this report
// (no library). Every string from the environment reaches the page as a text node or an
// attribute value set through the DOM, never as markup.
#include "report/html_assets.hpp"

namespace pkgsizer::report {

const char* const kHtmlScript = R"JS(
(function () {
"use strict";
var SVGNS = "http://www.w3.org/2000/svg";
var envelope = JSON.parse(document.getElementById("pkgsizer-data").textContent);
var app = document.getElementById("app");

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  setAttrs(node, attrs);
  (children || []).forEach(function (c) {
    node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  });
  return node;
}
function svg(tag, attrs) { var node = document.createElementNS(SVGNS, tag); setAttrs(node, attrs); return node; }
function setAttrs(node, attrs) {
  for (var k in attrs || {}) {
    if (k === "text") node.textContent = attrs[k];
    else if (k === "class") node.setAttribute("class", attrs[k]);
    else node.setAttribute(k, attrs[k]);
  }
}
// Sizes as the text report writes them (decimal units, three significant digits).
function fmtSize(bytes) {
  if (bytes === null || bytes === undefined) return "–";
  var units = ["B", "kB", "MB", "GB", "TB", "PB"], v = Math.abs(bytes), u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  var text = u === 0 ? String(v) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return (bytes < 0 ? "-" : "") + text + " " + units[u];
}
function fmtDelta(bytes) { return (bytes > 0 ? "+" : "") + fmtSize(bytes); }
function fmtCount(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
function files(n) { return fmtCount(n) + (n === 1 ? " file" : " files"); }
function pct(part, whole) { return whole > 0 ? (100 * part / whole).toFixed(1) + "%" : "–"; }

function header(title, metaParts) {
  app.appendChild(el("h1", {text: title}));
  app.appendChild(el("p", {class: "meta", text: metaParts.filter(Boolean).join(" · ")}));
}
function footer() {
  app.appendChild(el("footer", {text: "pkgsizer " + envelope.pkgsizer_version + " · generated " +
    envelope.generated_at + " · this file is self-contained: it loads nothing from the network"}));
}
function card(value, label) { return el("div", {class: "card"}, [el("b", {text: value}), el("span", {text: label})]); }

// ---- Squarified treemap (Bruls, Huizing, van Wijk 2000) -----------------------------------
function worst(row, area, side) {
  var max = 0, min = Infinity;
  row.forEach(function (r) { max = Math.max(max, r.area); min = Math.min(min, r.area); });
  var s2 = side * side, a2 = area * area;
  return Math.max(s2 * max / a2, a2 / (s2 * min));
}
function squarify(items, x, y, w, h) {
  var total = 0, out = [];
  items.forEach(function (i) { total += i.value; });
  if (total <= 0 || w <= 0 || h <= 0) return out;
  var scale = w * h / total, rest = items.map(function (i) { return {item: i, area: i.value * scale}; });
  var at = 0;
  while (at < rest.length) {
    var side = Math.min(w, h), row = [rest[at]], rowArea = rest[at].area, best = worst(row, rowArea, side), next = at + 1;
    while (next < rest.length) {
      row.push(rest[next]);
      var ratio = worst(row, rowArea + rest[next].area, side);
      if (ratio > best) { row.pop(); break; }
      best = ratio; rowArea += rest[next].area; next++;
    }
    at = next;
    if (at === rest.length) rowArea = w * h;  // the last row takes what is left (rounding)
    if (w >= h) {
      var cw = rowArea / h, yy = y;
      row.forEach(function (r) { var rh = r.area / cw; out.push({item: r.item, x: x, y: yy, w: cw, h: rh}); yy += rh; });
      x += cw; w -= cw;
    } else {
      var rh = rowArea / w, xx = x;
      row.forEach(function (r) { var rw = r.area / rh; out.push({item: r.item, x: xx, y: y, w: rw, h: rh}); xx += rw; });
      y += rh; h -= rh;
    }
  }
  return out;
}

var KIND = {c: ["code", "#60a5fa"], b: ["bytecode", "#34d399"], n: ["native libraries", "#f87171"],
            d: ["data", "#fbbf24"], m: ["metadata, scripts", "#a78bfa"], o: ["several small items", "#9ca3af"]};
// A stable hue per name: FNV-1a, so that names differing in their last letter (pkg-a, pkg-b)
// land far apart on the wheel.
function hue(text) {
  var h = 2166136261;
  for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0) % 360;
}

// ---- The scan view ------------------------------------------------------------------------
function scanView(data) {
  var env = data.environment, totals = data.totals, dists = data.distributions;
  var where = env.prefix || (env.site_packages || [])[0] || "";
  header(envelope.title, [where, env.kind, env.python_version && "Python " + env.python_version,
    env.platform, data.created_at && "scanned " + data.created_at]);
  var a = totals.all, o = totals.owned, u = totals.unowned, dir = totals.directories, s = totals.selected;
  var cards = el("div", {class: "cards", id: "summary"}, [
    card(fmtCount(totals.distributions), "distributions"),
    card(fmtSize(s[0]), "in distributions (" + files(s[2]) + ")"),
    card(fmtSize(u[0]), "unowned (" + files(u[2]) + ")"),
    card(fmtSize(a[0]), "every file once (du -sb)"),
    card(fmtSize(a[1]), "on disk (du -s)")]);
  cards.dataset.selectedBytes = s[0]; cards.dataset.allBytes = a[0]; cards.dataset.allDiskBytes = a[1];
  app.appendChild(cards);
  var inTrees = o[0] - totals.outside[0];
  var sum = inTrees + u[0] + dir[0];
  app.appendChild(el("p", {class: "reconcile", id: "reconcile", text: (sum === a[0]
    ? "Owned files in the trees " + fmtSize(inTrees) + " + unowned " + fmtSize(u[0]) + " + directories " +
      fmtSize(dir[0]) + " = " + fmtSize(a[0]) + ", what du -sb counts over " + (env.site_packages || []).join(", ")
    : "Owned " + fmtSize(o[0]) + " (" + fmtSize(totals.outside[0]) + " of it outside the scanned trees) · unowned " +
      fmtSize(u[0]) + " · directories " + fmtSize(dir[0]) + " · du -sb counts " + fmtSize(a[0])) +
    (data.problems ? " · " + data.problems + " problems (see --json)" : "")}));

  var state = {mode: 0, color: "dist", path: []};
  var nodes = dists.map(function (d, i) { return toNode(d.tree, i); });
  var root = {name: "environment", kind: "c", size: [s[0], s[1], s[2]], children: nodes, dist: -1};

  app.appendChild(el("h2", {text: "Where the bytes are"}));
  var modeSelect = el("select", {id: "mode"}, [el("option", {value: "0", text: "apparent size"}), el("option", {value: "1", text: "disk usage"})]);
  var colorSelect = el("select", {id: "color"}, [el("option", {value: "dist", text: "distribution"}), el("option", {value: "kind", text: "kind of file"})]);
  app.appendChild(el("div", {class: "controls"}, [el("label", {text: "Size by"}), modeSelect, el("label", {text: "colour by"}), colorSelect]));
  var crumbs = el("div", {class: "crumbs", id: "crumbs"});
  app.appendChild(crumbs);
  var map = svg("svg", {id: "treemap", role: "img", "aria-label": "treemap of the environment"});
  app.appendChild(map);
  var legend = el("div", {class: "legend", id: "legend"});
  app.appendChild(legend);
  app.appendChild(el("p", {class: "note", text: "Click a tile to zoom in; the path above leads back. Module-tree nodes under " +
    fmtSize(data.aggregate_below_bytes) + " are merged per parent. Coloured by kind, each tile is split into the kinds of " +
    "its files; bytecode (.pyc) is its own kind."}));

  function toNode(t, dist) {
    return {name: t[0], kind: t[1], size: [t[2], t[3], t[4]], bytecode: [t[5], t[6]], dist: dist,
            children: (t[7] || []).map(function (c) { return toNode(c, dist); })};
  }
  // A node's bytes by kind of file ([apparent, disk] per kind code): its children's, and what
  // the node holds itself (a package's __init__.py, a module's file, a tree cut at its depth):
  // its own bytecode as "b", the rest as the node's kind. Kept on the node once computed.
  function kindsOf(node) {
    if (node.kinds) return node.kinds;
    var kinds = {}, inKids = [0, 0], bytecodeInKids = [0, 0];
    node.children.forEach(function (c) {
      var k = kindsOf(c);
      for (var code in k) { kinds[code] = kinds[code] || [0, 0]; kinds[code][0] += k[code][0]; kinds[code][1] += k[code][1]; }
      inKids[0] += c.size[0]; inKids[1] += c.size[1];
      bytecodeInKids[0] += c.bytecode[0]; bytecodeInKids[1] += c.bytecode[1];
    });
    [0, 1].forEach(function (m) {
      var own = Math.max(node.size[m] - inKids[m], 0);
      var ownBytecode = Math.min(Math.max(node.bytecode[m] - bytecodeInKids[m], 0), own);
      [["b", ownBytecode], [node.kind, own - ownBytecode]].forEach(function (pair) {
        if (pair[1] <= 0) return;
        kinds[pair[0]] = kinds[pair[0]] || [0, 0];
        kinds[pair[0]][m] += pair[1];
      });
    });
    node.kinds = kinds;
    return kinds;
  }
  function current() { var n = root; state.path.forEach(function (i) { n = n.children[i]; }); return n; }
  function fill(node) {
    if (state.color === "kind") return KIND[node.kind][1];
    return node.dist < 0 ? "#9ca3af" : "hsl(" + hue(dists[node.dist].name) + ",55%,68%)";
  }
  function drawTreemap() {
    while (map.firstChild) map.removeChild(map.firstChild);
    var W = map.clientWidth || 1200, H = map.clientHeight || 480;
    map.setAttribute("viewBox", "0 0 " + W + " " + H);
    var node = current();
    var items = node.children.map(function (c, i) { return {node: c, index: i, value: c.size[state.mode]}; })
      .filter(function (i) { return i.value > 0; })
      .sort(function (x, y) { return y.value - x.value; });
    squarify(items, 0, 0, W, H).forEach(function (t) {
      var c = t.item.node, g = svg("g", {});
      var byKind = state.color === "kind";
      var rect = svg("rect", {class: "tile", x: t.x.toFixed(3), y: t.y.toFixed(3), width: t.w.toFixed(3), height: t.h.toFixed(3),
        fill: byKind ? "#d1d5db" : fill(c), "data-bytes": t.item.value, "data-level": "0"});
      rect.dataset.name = c.name;
      var title = svg("title", {});
      title.textContent = c.name + " — " + fmtSize(c.size[state.mode]) + ", " + files(c.size[2]);
      rect.appendChild(title);
      g.appendChild(rect);
      if (byKind) {
        // The whole tile split into its kinds, so that every kind's area is its share of bytes.
        var parts = [], kinds = kindsOf(c);
        Object.keys(KIND).forEach(function (k) { if (kinds[k] && kinds[k][state.mode] > 0) parts.push({kind: k, value: kinds[k][state.mode]}); });
        parts.sort(function (x, y) { return y.value - x.value; });
        squarify(parts, t.x, t.y, t.w, t.h).forEach(function (k) {
          g.appendChild(svg("rect", {x: k.x.toFixed(3), y: k.y.toFixed(3), width: k.w.toFixed(3), height: k.h.toFixed(3),
            fill: KIND[k.item.kind][1], "pointer-events": "none", "data-level": "1", "data-kind": k.item.kind, "data-bytes": k.item.value}));
        });
        g.appendChild(svg("rect", {class: "outline", x: t.x.toFixed(3), y: t.y.toFixed(3), width: t.w.toFixed(3), height: t.h.toFixed(3)}));
      } else if (c.children.length && t.w > 24 && t.h > 24) {
        // One level more inside tiles large enough to show it.
        var inner = c.children.map(function (k) { return {node: k, value: k.size[state.mode]}; })
          .filter(function (i) { return i.value > 0; }).sort(function (x, y) { return y.value - x.value; });
        squarify(inner, t.x + 2, t.y + 15, t.w - 4, t.h - 17).forEach(function (k) {
          g.appendChild(svg("rect", {x: k.x.toFixed(2), y: k.y.toFixed(2), width: k.w.toFixed(2), height: k.h.toFixed(2),
            fill: fill(k.item.node), "fill-opacity": "0.9", stroke: "rgba(0,0,0,.15)", "pointer-events": "none", "data-level": "1"}));
        });
      }
      if (t.w > 50 && t.h > 13) {
        var label = svg("text", {x: (t.x + 3).toFixed(1), y: (t.y + 11).toFixed(1)});
        var chars = Math.floor((t.w - 6) / 6.2), text = c.name + " " + fmtSize(c.size[state.mode]);
        label.textContent = text.length > chars ? text.slice(0, Math.max(chars - 1, 1)) + "…" : text;
        g.appendChild(label);
      }
      rect.addEventListener("click", function () {
        if (node === root) select(c.dist);
        if (c.children.length) { state.path.push(t.item.index); drawTreemap(); }
      });
      map.appendChild(g);
    });
    drawCrumbs();
    drawLegend();
  }
  function drawCrumbs() {
    while (crumbs.firstChild) crumbs.removeChild(crumbs.firstChild);
    var n = root, chain = [[root, 0]];
    state.path.forEach(function (i, depth) { n = n.children[i]; chain.push([n, depth + 1]); });
    chain.forEach(function (pair, k) {
      if (k) crumbs.appendChild(document.createTextNode("›"));
      var last = k === chain.length - 1;
      var text = pair[0].name + " (" + fmtSize(pair[0].size[state.mode]) + ")";
      var link = el(last ? "span" : "a", {text: text});
      if (!last) link.addEventListener("click", function () { state.path = state.path.slice(0, pair[1]); drawTreemap(); });
      crumbs.appendChild(link);
    });
  }
  function drawLegend() {
    while (legend.firstChild) legend.removeChild(legend.firstChild);
    if (state.color !== "kind") { legend.appendChild(el("span", {text: "Colours: one per distribution"})); return; }
    Object.keys(KIND).forEach(function (k) {
      legend.appendChild(el("span", {}, [el("i", {style: "background:" + KIND[k][1]}), KIND[k][0]]));
    });
  }
  modeSelect.addEventListener("change", function () { state.mode = Number(modeSelect.value); drawTreemap(); drawTable(); });
  colorSelect.addEventListener("change", function () { state.color = colorSelect.value; drawTreemap(); });
  window.addEventListener("resize", function () { drawTreemap(); });

  // ---- The table ----
  app.appendChild(el("h2", {text: "Distributions"}));
  var filter = el("input", {id: "filter", type: "search", placeholder: "filter by name", "aria-label": "filter by name"});
  app.appendChild(el("div", {class: "controls"}, [filter]));
  var columns = [
    {key: "name", label: "Distribution", get: function (d) { return d.name.toLowerCase(); }},
    {key: "version", label: "Version", get: function (d) { return d.version; }},
    {key: "size", label: "Size", num: true, get: function (d) { return d.size[state.mode]; }},
    {key: "files", label: "Files", num: true, get: function (d) { return d.size[2]; }},
    {key: "with_deps", label: "With deps", num: true, narrow: true, get: function (d) { return d.with_deps; }},
    {key: "frees", label: "Frees", num: true, narrow: true, get: function (d) { return d.frees === null ? -1 : d.frees; }},
    {key: "share", label: "Share", num: true, get: function (d) { return d.size[state.mode]; }}];
  var sort = {column: 2, descending: true};
  var thead = el("tr", {});
  columns.forEach(function (c, i) {
    var th = el("th", {class: (c.num ? "num" : "") + (c.narrow ? " hide-narrow" : ""), text: c.label, "data-key": c.key});
    th.addEventListener("click", function () {
      sort = {column: i, descending: sort.column === i ? !sort.descending : c.num};
      drawTable();
    });
    thead.appendChild(th);
  });
  var tbody = el("tbody", {});
  app.appendChild(el("div", {class: "table-wrap"}, [el("table", {id: "distributions"}, [el("thead", {}, [thead]), tbody])]));
  var detail = el("div", {id: "detail"});
  app.appendChild(detail);
  var rows = dists.map(function (d, i) {
    var tr = el("tr", {"data-index": i});
    tr.addEventListener("click", function () { select(i); });
    return tr;
  });
  var largest = Math.max.apply(null, dists.map(function (d) { return d.size[0]; }).concat([1]));
  function fillRow(tr, d) {
    while (tr.firstChild) tr.removeChild(tr.firstChild);
    var size = d.size[state.mode], whole = state.mode ? a[1] : a[0];
    var bar = el("span", {class: "bar", style: "width:" + Math.max(1, Math.round(60 * size / largest)) + "px"});
    tr.appendChild(el("td", {class: "name", text: d.name + (d.editable ? " (editable)" : "")}));
    tr.appendChild(el("td", {text: d.version}));
    tr.appendChild(el("td", {class: "num", "data-bytes": size}, [fmtSize(size) + " ", bar]));
    tr.appendChild(el("td", {class: "num", text: fmtCount(d.size[2])}));
    tr.appendChild(el("td", {class: "num hide-narrow", text: fmtSize(d.with_deps)}));
    tr.appendChild(el("td", {class: "num hide-narrow", text: d.frees === null ? "required" : fmtSize(d.frees)}));
    tr.appendChild(el("td", {class: "num", text: pct(size, whole)}));
  }
  function drawTable() {
    var c = columns[sort.column];
    var order = dists.map(function (d, i) { return i; }).sort(function (x, y) {
      var p = c.get(dists[x]), q = c.get(dists[y]);
      var r = p < q ? -1 : p > q ? 1 : x - y;
      return sort.descending ? -r : r;
    });
    Array.prototype.forEach.call(thead.children, function (th, i) {
      th.className = (columns[i].num ? "num" : "") + (columns[i].narrow ? " hide-narrow" : "") +
        (i === sort.column ? " sorted" + (sort.descending ? "" : " asc") : "");
    });
    var needle = filter.value.toLowerCase();
    order.forEach(function (i) {
      fillRow(rows[i], dists[i]);
      rows[i].style.display = !needle || dists[i].name.toLowerCase().indexOf(needle) >= 0 ? "" : "none";
      tbody.appendChild(rows[i]);
    });
  }
  filter.addEventListener("input", drawTable);

  // ---- A distribution's detail: why it is installed, and its module tree ----
  function whyPaths(index) {
    var paths = [], limit = 8;
    function walk(i, chain) {
      if (paths.length >= limit) return;
      var d = dists[i];
      if (!d.required_by.length || d.root && chain.length > 1) { paths.push(chain.slice().reverse()); if (!d.required_by.length) return; }
      d.required_by.forEach(function (j) { if (chain.indexOf(j) < 0) walk(j, chain.concat([j])); });
    }
    walk(index, [index]);
    return paths;
  }
  function treeList(node, depth) {
    var ul = el("ul", {});
    node.children.slice().sort(function (x, y) { return y.size[state.mode] - x.size[state.mode]; }).forEach(function (c) {
      var bytecode = c.bytecode[state.mode] ? ", " + fmtSize(c.bytecode[state.mode]) + " of it bytecode" : "";
      var line = [el("span", {class: "size", text: fmtSize(c.size[state.mode]) + " "}), c.name + " ",
                  el("span", {class: "size", text: "(" + KIND[c.kind][0] + bytecode + ")"})];
      if (c.children.length) {
        var details = el("details", depth < 1 ? {open: ""} : {}, [el("summary", {}, line), treeList(c, depth + 1)]);
        ul.appendChild(el("li", {}, [details]));
      } else ul.appendChild(el("li", {}, line));
    });
    return ul;
  }
  function select(index) {
    if (index < 0) return;
    rows.forEach(function (tr, i) { tr.classList.toggle("selected", i === index); });
    var d = dists[index];
    while (detail.firstChild) detail.removeChild(detail.firstChild);
    detail.appendChild(el("h2", {text: d.name + " " + d.version + " — " + fmtSize(d.size[state.mode])}));
    detail.appendChild(el("h3", {text: "Why it is installed"}));
    var why = el("div", {class: "why", id: "why"});
    if (!d.required_by.length) why.appendChild(el("div", {text: "Nothing installed requires it" + (d.root ? " (a root: installed directly)" : "") + "."}));
    whyPaths(index).forEach(function (p) {
      if (p.length > 1) why.appendChild(el("div", {text: p.map(function (i) { return dists[i].name; }).join(" → ")}));
    });
    detail.appendChild(why);
    detail.appendChild(el("h3", {text: "Module tree"}));
    detail.appendChild(treeList(toNode(d.tree, index), 0));
  }

  // ---- The dependency graph of the biggest distributions ----
  app.appendChild(el("h2", {text: "Dependencies of the largest distributions"}));
  var top = dists.map(function (d, i) { return i; }).sort(function (x, y) { return dists[y].with_deps - dists[x].with_deps; }).slice(0, 24);
  var inTop = {};
  top.forEach(function (i) { inTop[i] = true; });
  var layer = {};
  top.forEach(function (i) { layer[i] = 0; });
  for (var pass = 0; pass < top.length; pass++) {  // longest path from a source; cycles stop at top.length passes
    var moved = false;
    top.forEach(function (i) { dists[i].requires.forEach(function (j) {
      if (inTop[j] && j !== i && layer[j] < layer[i] + 1 && layer[i] + 1 < top.length) { layer[j] = layer[i] + 1; moved = true; }
    }); });
    if (!moved) break;
  }
  var byLayer = [];
  top.forEach(function (i) { (byLayer[layer[i]] = byLayer[layer[i]] || []).push(i); });
  byLayer = byLayer.filter(Boolean);
  var BW = 230, BH = 36, GX = 60, GY = 10, tallest = Math.max.apply(null, byLayer.map(function (l) { return l.length; }).concat([1]));
  var GW = byLayer.length * (BW + GX) - GX + 20, GH = tallest * (BH + GY) + 10;
  var graph = svg("svg", {id: "graph", viewBox: "0 0 " + GW + " " + GH, style: "max-width:" + GW + "px"});
  var pos = {};
  byLayer.forEach(function (l, x) { l.forEach(function (i, y) { pos[i] = {x: 10 + x * (BW + GX), y: 5 + y * (BH + GY)}; }); });
  top.forEach(function (i) { dists[i].requires.forEach(function (j) {
    if (inTop[j] && j !== i) graph.appendChild(svg("line", {x1: pos[i].x + BW, y1: pos[i].y + BH / 2, x2: pos[j].x, y2: pos[j].y + BH / 2}));
  }); });
  top.forEach(function (i) {
    var g = svg("g", {"data-name": dists[i].name});
    g.appendChild(svg("rect", {x: pos[i].x, y: pos[i].y, width: BW, height: BH, rx: 4}));
    var name = svg("text", {x: pos[i].x + 6, y: pos[i].y + 15}), size = svg("text", {x: pos[i].x + 6, y: pos[i].y + 29});
    name.textContent = dists[i].name.length > 34 ? dists[i].name.slice(0, 33) + "…" : dists[i].name;
    size.textContent = fmtSize(dists[i].with_deps) + " with deps · " + fmtSize(dists[i].size[0]) + " itself";
    g.appendChild(name); g.appendChild(size);
    g.addEventListener("click", function () { select(i); });
    graph.appendChild(g);
  });
  app.appendChild(graph);
  app.appendChild(el("p", {class: "note", text: "The " + top.length + " distributions with the largest size including their dependencies; an arrow's left end requires its right end."}));

  drawTreemap();
  drawTable();
  footer();
}

// ---- The compare view -----------------------------------------------------------------------
function compareView(data) {
  var before = data.before, after = data.after;
  header(envelope.title, [before.source + " → " + after.source]);
  var net = data.net;
  app.appendChild(el("div", {class: "cards", id: "summary"}, [
    card(fmtSize(before.totals.apparent_bytes), "before (" + fmtCount(before.totals.distributions) + " distributions)"),
    card(fmtSize(after.totals.apparent_bytes), "after (" + fmtCount(after.totals.distributions) + " distributions)"),
    card(fmtDelta(net.apparent_bytes), "net change"),
    card(fmtDelta(net.disk_bytes), "net change on disk")]));
  var groups = ["added", "removed", "upgraded", "downgraded", "changed", "grown", "shrunk"];
  var entries = [];
  groups.forEach(function (g) { (data[g] || []).forEach(function (e) { entries.push([g, e]); }); });
  entries.sort(function (x, y) { return Math.abs(y[1].delta_apparent_bytes) - Math.abs(x[1].delta_apparent_bytes); });
  app.appendChild(el("h2", {text: "Changes (" + entries.length + ")"}));
  var filter = el("input", {id: "filter", type: "search", placeholder: "filter by name"});
  app.appendChild(el("div", {class: "controls"}, [filter]));
  var tbody = el("tbody", {});
  var head = el("tr", {}, ["Change", "Distribution", "Version", "Before", "After", "Delta"].map(function (h, i) {
    return el("th", {class: i >= 3 ? "num" : "", text: h}); }));
  entries.forEach(function (pair) {
    var e = pair[1];
    var tr = el("tr", {}, [el("td", {text: pair[0]}), el("td", {class: "name", text: e.name}),
      el("td", {text: (e.old_version || "–") + " → " + (e.new_version || "–")}),
      el("td", {class: "num", text: fmtSize(e.old_apparent_bytes)}), el("td", {class: "num", text: fmtSize(e.new_apparent_bytes)}),
      el("td", {class: "num " + (e.delta_apparent_bytes > 0 ? "up" : e.delta_apparent_bytes < 0 ? "down" : ""), text: fmtDelta(e.delta_apparent_bytes)})]);
    tr.dataset.name = e.name.toLowerCase();
    tbody.appendChild(tr);
  });
  filter.addEventListener("input", function () {
    var needle = filter.value.toLowerCase();
    Array.prototype.forEach.call(tbody.children, function (tr) { tr.style.display = tr.dataset.name.indexOf(needle) >= 0 ? "" : "none"; });
  });
  app.appendChild(el("div", {class: "table-wrap"}, [el("table", {id: "changes"}, [el("thead", {}, [head]), tbody])]));
  app.appendChild(el("p", {class: "note", text: (data.unchanged_count || 0) + " distributions unchanged."}));
  footer();
}

// ---- The recommend view ------------------------------------------------------------------
function recommendView(data) {
  var env = data.environment || {}, project = data.project;
  header(envelope.title, [env.path, env.python_version && "Python " + env.python_version,
    project && "project " + project.root + " (" + fmtCount(project.python_files) + " Python files)"]);
  var findings = data.findings || [], whole = data.environment_bytes, savable = data.savable_bytes;
  var cards = el("div", {class: "cards", id: "summary"}, [
    card(fmtCount(findings.length), findings.length === 1 ? "finding" : "findings"),
    card(fmtSize(savable.apparent_bytes), "could be saved (" + pct(savable.apparent_bytes, whole.apparent_bytes) + ")"),
    card(fmtSize(savable.disk_bytes), "on disk"),
    card(fmtSize(whole.apparent_bytes), "the environment (" + files(whole.file_count) + ")")]);
  cards.dataset.savableBytes = savable.apparent_bytes;
  app.appendChild(cards);
  app.appendChild(el("h2", {text: "Findings"}));
  var kinds = [];
  findings.forEach(function (f) { if (kinds.indexOf(f.kind) < 0) kinds.push(f.kind); });
  var kindSelect = el("select", {id: "kind", "aria-label": "kind of finding"}, [el("option", {value: "", text: "every kind"})].concat(
    kinds.map(function (k) { return el("option", {value: k, text: k}); })));
  var filter = el("input", {id: "filter", type: "search", placeholder: "filter by text", "aria-label": "filter by text"});
  app.appendChild(el("div", {class: "controls"}, [el("label", {text: "Show"}), kindSelect, filter]));
  var tbody = el("tbody", {});
  var head = el("tr", {}, ["Kind", "Finding", "Distributions", "Saves", "Certainty"].map(function (h, i) {
    return el("th", {class: i === 3 ? "num" : "", text: h}); }));
  var rows = findings.map(function (f, i) {
    var bytes = f.bytes ? f.bytes.apparent_bytes : null;
    var tr = el("tr", {class: "finding", "data-index": i, "data-kind": f.kind}, [
      el("td", {text: f.kind}), el("td", {class: "name", text: f.title}),
      el("td", {class: "name", text: (f.distributions || []).join(", ")}),
      el("td", {class: "num", text: bytes === null ? "unknown" : fmtSize(bytes)}), el("td", {text: f.certainty})]);
    var more = [];
    (f.evidence || []).forEach(function (e) { more.push(el("div", {text: e})); });
    if (f.glob) more.push(el("div", {text: "files: " + f.glob}));
    if (f.action) more.push(el("div", {class: "action"}, [el("b", {text: "Action: "}), el("code", {text: f.action})]));
    var detail = el("tr", {class: "evidence"}, [el("td", {colspan: "5"}, more)]);
    detail.style.display = "none";
    tr.addEventListener("click", function () {
      detail.style.display = detail.style.display === "none" ? "" : "none";
      tr.classList.toggle("selected", detail.style.display === "");
    });
    tbody.appendChild(tr);
    tbody.appendChild(detail);
    return {row: tr, detail: detail, text: [f.kind, f.title, f.action].concat(f.distributions || [], f.evidence || []).join(" ").toLowerCase()};
  });
  function applyFilter() {
    var needle = filter.value.toLowerCase(), kind = kindSelect.value;
    rows.forEach(function (r, i) {
      var shown = (!kind || findings[i].kind === kind) && (!needle || r.text.indexOf(needle) >= 0);
      r.row.style.display = shown ? "" : "none";
      if (!shown) r.detail.style.display = "none";
    });
  }
  filter.addEventListener("input", applyFilter);
  kindSelect.addEventListener("change", applyFilter);
  app.appendChild(el("div", {class: "table-wrap"}, [el("table", {id: "findings"}, [el("thead", {}, [head]), tbody])]));
  app.appendChild(el("p", {class: "note", text: findings.length ? "Click a finding for its evidence and the action that acts on it." : "Nothing to recommend."}));
  if (project) {
    app.appendChild(el("h2", {text: "Project dependencies"}));
    var lists = el("div", {id: "project"});
    (data.declared_unused || []).forEach(function (d) { lists.appendChild(el("div", {text: "declared, never imported: " + d.requirement + " (" + d.where + ")"})); });
    (data.undeclared || []).forEach(function (d) { lists.appendChild(el("div", {text: "imported, not declared: " + d.name + " (" + d.imported_at.join(", ") + ")"})); });
    if (!lists.firstChild) lists.appendChild(el("div", {text: "Every declared dependency is imported and every import is declared."}));
    app.appendChild(lists);
  }
  (data.warnings || []).forEach(function (w) { app.appendChild(el("p", {class: "note warning", text: "warning: " + w})); });
  footer();
}

// ---- The import-time view -----------------------------------------------------------------
function fmtTime(us) {
  if (us >= 1000000) return (us / 1e6).toFixed(2) + " s";
  if (us >= 1000) return (us / 1e3).toFixed(1) + " ms";
  return us + " us";
}
function importTimeView(data) {
  header(envelope.title, [data.python_version && "Python " + data.python_version, data.interpreter,
    data.runs + (data.runs === 1 ? " run" : " runs") + (data.cold ? ", cold" : "")]);
  var total = data.total, dists = data.distributions || [];
  var cards = el("div", {class: "cards", id: "summary"}, [
    card(fmtTime(total.median_us), "median of " + data.runs + " (min " + fmtTime(total.min_us) + ", max " + fmtTime(total.max_us) + ")"),
    card(fmtTime(data.startup.median_us), "interpreter start-up"),
    card(fmtCount(dists.length), "distributions and groups"),
    card(fmtCount(data.module_count), "modules imported")]);
  cards.dataset.totalUs = total.median_us;
  app.appendChild(cards);
  function colour(name) {
    if (name === "stdlib") return "#b0b7c3";
    if (name === "unowned") return "#d9c89e";
    return "hsl(" + hue(name) + ",65%,62%)";
  }
  app.appendChild(el("h2", {text: "Where the time goes"}));
  var ice = data.icicle, ROW = 18;
  var plot = svg("svg", {id: "icicle", viewBox: "0 0 " + ice.width + " " + Math.max(ice.rows, 1) * ROW, role: "img",
    "aria-label": "import icicle"});
  ice.bars.forEach(function (b) {
    var g = svg("g", {"data-name": b[3]});
    var rect = svg("rect", {x: b[0], y: b[1] * ROW, width: b[2], height: ROW - 1, fill: colour(b[4]), "data-us": b[5]});
    var title = svg("title", {});
    title.textContent = b[3] + " [" + b[4] + "] cumulative " + fmtTime(b[5]) + ", self " + fmtTime(b[6]);
    rect.appendChild(title);
    g.appendChild(rect);
    var chars = Math.floor(b[2] / 6.5);
    if (chars >= 3) {
      var label = svg("text", {x: b[0] + 3, y: b[1] * ROW + 12});
      label.textContent = b[3].length > chars ? b[3].slice(0, chars - 1) + "…" : b[3];
      g.appendChild(label);
    }
    plot.appendChild(g);
  });
  app.appendChild(plot);
  app.appendChild(el("p", {class: "note", text: "Each bar is a module, as wide as its cumulative import time (median); the modules it imported are under it, in import order. Hover for times."}));
  app.appendChild(el("h2", {text: "Per distribution"}));
  var head = el("tr", {}, ["Distribution", "Version", "Self", "Modules", "Share", "First import chain"].map(function (h, i) {
    return el("th", {class: i >= 2 && i <= 4 ? "num" : "", text: h}); }));
  var tbody = el("tbody", {});
  dists.forEach(function (d) {
    tbody.appendChild(el("tr", {}, [
      el("td", {class: "name"}, [el("span", {class: "swatch", style: "background:" + colour(d.name)}), d.name]),
      el("td", {text: d.version}), el("td", {class: "num", text: fmtTime(d.self_us)}),
      el("td", {class: "num", text: fmtCount(d.modules)}), el("td", {class: "num", text: d.share_percent.toFixed(1) + "%"}),
      el("td", {class: "name", text: (d.chain || []).join(" → ")})]));
  });
  app.appendChild(el("div", {class: "table-wrap"}, [el("table", {id: "distributions"}, [el("thead", {}, [head]), tbody])]));
  var lazy = data.lazy_candidates || [];
  if (lazy.length) {
    app.appendChild(el("h2", {text: "Worth importing lazily"}));
    var list = el("ul", {id: "lazy"});
    lazy.forEach(function (c) { list.appendChild(el("li", {text: c.distribution + " imported by " + c.importer + ": " + fmtTime(c.saving_us)})); });
    app.appendChild(list);
  }
  footer();
}

var views = {scan: scanView, compare: compareView, recommend: recommendView, "import-time": importTimeView};
(views[envelope.view] || function () {
  header(envelope.title, ["this page does not know the view '" + envelope.view + "'; its data is in the pkgsizer-data element"]);
  footer();
})(envelope.data);
document.body.setAttribute("data-ready", "1");
// Milliseconds from the start of navigation to a laid-out page (the tests read it).
document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
})();
)JS";

}  // namespace pkgsizer::report
