/* casegraph view: a small force-directed layout and SVG renderer, no dependencies, works offline.
   All text from the data goes in with textContent, never innerHTML: names and evidence are untrusted. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  var svg = document.getElementById("cg-svg");
  var NS = svg.namespaceURI;  // the SVG namespace, taken from the page rather than spelled out
  var viewport = document.getElementById("cg-viewport");
  var edgeLayer = document.getElementById("cg-edges");
  var nodeLayer = document.getElementById("cg-nodes");
  var labelLayer = document.getElementById("cg-labels-layer");
  var panel = document.getElementById("cg-panel");
  var tip = document.getElementById("cg-tip");
  var nodes = data.nodes, edges = data.edges, n = nodes.length, m = edges.length;
  var colourBy = data.colour_by || "sector";
  var K = 50;  // ideal edge length, in layout units
  var LABEL_ROOM = 110;  // space to the right of each packed component for its labels

  var adj = nodes.map(function () { return []; });
  edges.forEach(function (e, i) { adj[e.s].push(i); if (e.t !== e.s) adj[e.t].push(i); });

  // ---- layout: Fruchterman-Reingold per connected component, then components packed in rows ----
  function components() {
    var seen = new Int32Array(n).fill(-1), comps = [];
    for (var i = 0; i < n; i++) {
      if (seen[i] >= 0) continue;
      var comp = [i], head = 0;
      seen[i] = comps.length;
      while (head < comp.length) {
        var v = comp[head++];
        adj[v].forEach(function (e) {
          var w = edges[e].s === v ? edges[e].t : edges[e].s;
          if (seen[w] < 0) { seen[w] = comps.length; comp.push(w); }
        });
      }
      comps.push(comp);
    }
    return comps.sort(function (a, b) { return b.length - a.length || a[0] - b[0]; });
  }

  function layoutComponent(ids, x, y, deadline) {
    var c = ids.length, local = new Map();
    ids.forEach(function (v, i) { local.set(v, i); });
    var es = [];
    ids.forEach(function (v) { adj[v].forEach(function (e) { if (edges[e].s === v && edges[e].t !== v) es.push(e); }); });
    var X = new Float64Array(c), Y = new Float64Array(c), fx = new Float64Array(c), fy = new Float64Array(c);
    var order = ids.map(function (_, i) { return i; }).sort(function (a, b) {
      var p = nodes[ids[a]], q = nodes[ids[b]];
      return (p.community - q.community) || (q.degree - p.degree) || (a - b);
    });
    // Start on a sunflower spiral, communities together, so few iterations are needed.
    var golden = Math.PI * (3 - Math.sqrt(5));
    order.forEach(function (i, r) {
      var rad = K * 0.8 * Math.sqrt(r + 0.5);
      X[i] = rad * Math.cos(r * golden); Y[i] = rad * Math.sin(r * golden);
    });
    var exact = c <= 900, iterations = 0;
    if (c > 1) {
      var budget = exact ? 2.5e8 : 6e7;
      iterations = Math.max(30, Math.min(400, Math.floor(budget / (exact ? c * c + es.length + 1 : 25 * c + es.length + 1))));
    }
    var temp0 = K * Math.max(2, Math.sqrt(c) / 2), gravity = 0.02;
    var cell = 3 * K, k2 = K * K, it, i, j, dx, dy, d2, f;
    for (it = 0; it < iterations; it++) {
      fx.fill(0); fy.fill(0);
      if (exact) {
        for (i = 0; i < c; i++) {
          for (j = i + 1; j < c; j++) {
            dx = X[i] - X[j]; dy = Y[i] - Y[j]; d2 = dx * dx + dy * dy;
            if (d2 < 0.01) { dx = 0.1 * ((i * 7 + j) % 5 - 2); dy = 0.1; d2 = dx * dx + dy * dy; }
            f = k2 / d2;
            fx[i] += dx * f; fy[i] += dy * f; fx[j] -= dx * f; fy[j] -= dy * f;
          }
        }
      } else {  // big component: repulsion only from nearby nodes, found through a grid
        var grid = new Map();
        for (i = 0; i < c; i++) {
          var key = Math.floor(X[i] / cell) * 100003 + Math.floor(Y[i] / cell);
          var bucket = grid.get(key);
          if (bucket) bucket.push(i); else grid.set(key, [i]);
        }
        for (i = 0; i < c; i++) {
          var gx = Math.floor(X[i] / cell), gy = Math.floor(Y[i] / cell);
          for (var ox = -1; ox <= 1; ox++) {
            for (var oy = -1; oy <= 1; oy++) {
              var b = grid.get((gx + ox) * 100003 + gy + oy);
              if (!b) continue;
              for (var q = 0; q < b.length; q++) {
                j = b[q];
                if (j === i) continue;
                dx = X[i] - X[j]; dy = Y[i] - Y[j]; d2 = dx * dx + dy * dy;
                if (d2 > cell * cell) continue;
                if (d2 < 0.01) { dx = 0.1 * ((i * 7 + j) % 5 - 2); dy = 0.1; d2 = dx * dx + dy * dy; }
                f = k2 / d2;
                fx[i] += dx * f; fy[i] += dy * f;
              }
            }
          }
        }
        gravity = 0.6 / Math.sqrt(c);
      }
      for (var e = 0; e < es.length; e++) {
        var s = local.get(edges[es[e]].s), t = local.get(edges[es[e]].t);
        dx = X[s] - X[t]; dy = Y[s] - Y[t];
        var d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        f = d / K * (1 + 0.3 * Math.log(edges[es[e]].weight || 1));
        fx[s] -= dx * f; fy[s] -= dy * f; fx[t] += dx * f; fy[t] += dy * f;
      }
      var temp = temp0 * (1 - it / iterations) + 0.5;
      for (i = 0; i < c; i++) {
        fx[i] -= X[i] * gravity * K / 10; fy[i] -= Y[i] * gravity * K / 10;
        var len = Math.sqrt(fx[i] * fx[i] + fy[i] * fy[i]);
        if (len > 0) { var step = Math.min(len, temp) / len; X[i] += fx[i] * step; Y[i] += fy[i] * step; }
      }
      if (performance.now() > deadline) { it++; break; }  // keep big views responsive
    }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (i = 0; i < c; i++) { minX = Math.min(minX, X[i]); maxX = Math.max(maxX, X[i]); minY = Math.min(minY, Y[i]); maxY = Math.max(maxY, Y[i]); }
    ids.forEach(function (v, i) { x[v] = X[i] - minX; y[v] = Y[i] - minY; });
    return { w: maxX - minX, h: maxY - minY, iterations: it };
  }

  function layout() {
    var t0 = performance.now(), x = new Float64Array(n), y = new Float64Array(n);
    var comps = components(), boxes = [], most = 0, area = 0;
    comps.forEach(function (ids, ci) {
      // The biggest component gets most of the time budget; the rest share what is left.
      var deadline = t0 + (ci === 0 ? 3000 : 4000);
      var box = layoutComponent(ids, x, y, deadline);
      most = Math.max(most, box.iterations);
      boxes.push(box);
      area += (box.w + 2 * K + LABEL_ROOM) * (box.h + 2 * K);
    });
    // Shelf packing: rows about as wide as a 16:10 screen would want for this much area.
    var rowWidth = Math.max(boxes.length ? boxes[0].w + 2 * K : 0, Math.sqrt(area * 1.6)), cx = 0, cy = 0, rowH = 0;
    comps.forEach(function (ids, ci) {
      var box = boxes[ci], w = box.w + 2 * K + LABEL_ROOM, h = box.h + 2 * K;
      if (cx > 0 && cx + w > rowWidth) { cx = 0; cy += rowH; rowH = 0; }
      ids.forEach(function (v) { x[v] += cx + K; y[v] += cy + K; });
      cx += w; rowH = Math.max(rowH, h);
    });
    return { x: x, y: y, iterations: most, ms: Math.round(performance.now() - t0) };
  }

  // ---- drawing ----
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function html(tag, text, parent, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }

  var pos = layout();
  var radius = nodes.map(function (d) { return d.size * 0.45 + 2; });
  var circles = [], lines = [], labels = [];
  var ranked = nodes.map(function (_, i) { return i; }).sort(function (a, b) { return nodes[b].degree - nodes[a].degree || a - b; });
  var labelled = new Set(n <= 80 ? ranked : []);

  edges.forEach(function (e, i) {
    var x1 = pos.x[e.s], y1 = pos.y[e.s], x2 = pos.x[e.t], y2 = pos.y[e.t];
    if (data.directed) {  // stop the arrow at the target's rim
      var dx = x2 - x1, dy = y2 - y1, d = Math.sqrt(dx * dx + dy * dy) || 1, r = radius[e.t] + 1;
      x2 -= dx / d * r; y2 -= dy / d * r;
    }
    var w = (0.8 + 1.4 * Math.log(e.weight || 1) / Math.LN2).toFixed(2);
    var attrs = { x1: x1.toFixed(1), y1: y1.toFixed(1), x2: x2.toFixed(1), y2: y2.toFixed(1), "stroke-width": w, "data-i": i };
    if (data.directed) attrs["marker-end"] = "url(#cg-arrow)";
    if (e.relation === "shared_programme") attrs["stroke-dasharray"] = "5 4";
    else if (e.relation === "mentioned_with") attrs["stroke-dasharray"] = "1 3";
    lines.push(el("line", attrs, edgeLayer));
    if (m <= 4000) {  // a wide invisible twin makes thin lines easy to hover
      var hit = el("line", { x1: attrs.x1, y1: attrs.y1, x2: attrs.x2, y2: attrs.y2, "stroke-width": 7, "data-i": i, "class": "cg-hit" }, edgeLayer);
      hit.addEventListener("mouseenter", function (ev) { showTip(ev, edgeTip(i)); });
    }
  });
  nodes.forEach(function (d, i) {
    var c = el("circle", { cx: pos.x[i].toFixed(1), cy: pos.y[i].toFixed(1), r: radius[i].toFixed(1), fill: d.colour[colourBy], "data-id": d.id, "data-i": i }, nodeLayer);
    circles.push(c);
    var label = el("text", { x: (pos.x[i] + radius[i] + 2).toFixed(1), y: (pos.y[i] + 4).toFixed(1), "data-i": i }, labelLayer);
    label.textContent = d.name;
    if (!labelled.has(i)) label.style.display = "none";
    labels.push(label);
  });

  // ---- view box, pan and zoom ----
  var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (var i = 0; i < n; i++) {
    minX = Math.min(minX, pos.x[i] - radius[i]); maxX = Math.max(maxX, pos.x[i] + radius[i] + 120);
    minY = Math.min(minY, pos.y[i] - radius[i] - 10); maxY = Math.max(maxY, pos.y[i] + radius[i] + 10);
  }
  if (!n) { minX = minY = 0; maxX = maxY = 100; }
  var box = { x: minX - 20, y: minY - 20, w: maxX - minX + 40, h: maxY - minY + 40 };
  var home = Object.assign({}, box);
  function applyBox() {
    svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].map(function (v) { return v.toFixed(1); }).join(" "));
    var scale = Math.max(box.w / (svg.clientWidth || 800), box.h / (svg.clientHeight || 600));
    labelLayer.style.fontSize = (11 * scale).toFixed(2) + "px";
    labelLayer.style.strokeWidth = (3 * scale).toFixed(2) + "px";
  }
  applyBox();
  if (n > 80) {  // big views: label the best-connected nodes whose labels do not collide
    var scale0 = Math.max(box.w / (svg.clientWidth || 800), box.h / (svg.clientHeight || 600)), taken = [];
    for (var r = 0; r < ranked.length && labelled.size < 50 && r < 400; r++) {
      var li = ranked[r], lx = pos.x[li] + radius[li], ly = pos.y[li] - 8 * scale0;
      var lw = nodes[li].name.length * 6.5 * scale0, lh = 14 * scale0;
      if (taken.some(function (b) { return b[0] < lx + lw && lx < b[2] && b[1] < ly + lh && ly < b[3]; })) continue;
      taken.push([lx, ly, lx + lw, ly + lh]);
      labelled.add(li);
      labels[li].style.display = "";
    }
  }
  window.addEventListener("resize", applyBox);
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var rect = svg.getBoundingClientRect(), f = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    var scale = Math.max(box.w / rect.width, box.h / rect.height);
    var px = box.x + (ev.clientX - rect.left) * scale, py = box.y + (ev.clientY - rect.top) * scale;
    box = { x: px - (px - box.x) * f, y: py - (py - box.y) * f, w: box.w * f, h: box.h * f };
    applyBox();
  }, { passive: false });
  var drag = null;
  svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, moved: false, box: Object.assign({}, box) }; svg.classList.add("dragging"); });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var rect = svg.getBoundingClientRect(), scale = Math.max(box.w / rect.width, box.h / rect.height);
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    box = { x: drag.box.x - dx * scale, y: drag.box.y - dy * scale, w: box.w, h: box.h };
    applyBox();
  });
  window.addEventListener("mouseup", function () { svg.classList.remove("dragging"); setTimeout(function () { drag = null; }, 0); });

  // ---- tooltips and the side panel ----
  function showTip(ev, text) {
    tip.textContent = text; tip.hidden = false;
    var rect = svg.parentNode.getBoundingClientRect();
    tip.style.left = (ev.clientX - rect.left + 12) + "px"; tip.style.top = (ev.clientY - rect.top + 12) + "px";
  }
  function hideTip() { tip.hidden = true; }
  function nodeTip(i) {
    var d = nodes[i];
    return d.name + " (" + [d.type, d.sector].filter(Boolean).join(", ") + ") · " + d.degree + " link" + (d.degree === 1 ? "" : "s");
  }
  function edgeTip(i) {
    var e = edges[i], first = e.evidence.length ? e.evidence[0][0] : "";
    if (first.length > 180) first = first.slice(0, 177) + "…";
    return nodes[e.s].name + " — " + e.relation.replace(/_/g, " ") + " — " + nodes[e.t].name + " (" + e.weight + ")" + (first ? "\n“" + first + "”" : "");
  }
  nodeLayer.addEventListener("mouseover", function (ev) { var i = ev.target.getAttribute("data-i"); if (i !== null) showTip(ev, nodeTip(+i)); });
  edgeLayer.addEventListener("mouseover", function (ev) { var i = ev.target.getAttribute("data-i"); if (i !== null) showTip(ev, edgeTip(+i)); });
  nodeLayer.addEventListener("mouseout", hideTip);
  edgeLayer.addEventListener("mouseout", hideTip);

  function clearSelection() {
    svg.classList.remove("cg-faded");
    Array.prototype.forEach.call(svg.querySelectorAll(".cg-on, .cg-near"), function (x) { x.classList.remove("cg-on", "cg-near"); });
  }
  function mark(nodeIdx, edgeIdx) {
    clearSelection();
    svg.classList.add("cg-faded");
    nodeIdx.forEach(function (i) { circles[i].classList.add("cg-near"); labels[i].classList.add("cg-near"); labels[i].style.display = ""; });
    edgeIdx.forEach(function (i) { lines[i].classList.add("cg-on"); });
  }
  function selectNode(i) {
    var d = nodes[i], near = new Set([i]);
    adj[i].forEach(function (e) { near.add(edges[e].s); near.add(edges[e].t); });
    mark(near, adj[i]);
    circles[i].classList.add("cg-on");
    // Lets a page that embeds this view (the casegraph UI) follow the selection.
    window.dispatchEvent(new CustomEvent("casegraph:select", { detail: d.id }));
    panel.textContent = "";
    html("h2", d.name, panel);
    html("div", [d.type, d.sector].filter(Boolean).join(" · ") + " · community " + d.community, panel, "cg-meta");
    html("div", "links " + d.degree + " · weighted " + d.wdeg + " · betweenness " + Number(d.betweenness).toFixed(3), panel, "cg-meta");
    if (d.aliases.length) html("div", "also: " + d.aliases.join(", "), panel, "cg-meta");
    if (d.docs.length) { html("h3", "Documents", panel); var ul = html("ul", null, panel); d.docs.forEach(function (doc) { html("li", doc, ul); }); }
    html("h3", "Links", panel);
    var list = html("ul", null, panel, "cg-links");
    adj[i].slice().sort(function (a, b) { return edges[b].weight - edges[a].weight || a - b; }).forEach(function (ei) {
      var e = edges[ei], other = e.s === i ? e.t : e.s;
      var li = html("li", null, list);
      var btn = html("button", nodes[other].name + " — " + e.relation.replace(/_/g, " ") + " (" + e.weight + ")", li, "cg-link");
      btn.addEventListener("click", function () { selectEdge(ei); });
    });
  }
  function selectEdge(i) {
    var e = edges[i];
    mark(new Set([e.s, e.t]), [i]);
    panel.textContent = "";
    html("h2", nodes[e.s].name + " — " + nodes[e.t].name, panel);
    html("div", e.relation.replace(/_/g, " ") + " · " + e.weight + " supporting sentence" + (e.weight === 1 ? "" : "s") + " · " + e.docs.length + " document" + (e.docs.length === 1 ? "" : "s"), panel, "cg-meta");
    if (e.programmes.length) html("div", "shared programmes: " + e.programmes.join(", "), panel, "cg-meta");
    html("h3", "Evidence", panel);
    e.evidence.forEach(function (pair) {
      var q = html("blockquote", pair[0], panel);
      html("span", pair[1], q, "cg-src");
    });
    if (e.more) html("div", "… and " + e.more + " more (see the CSV or JSON export)", panel, "cg-meta");
    [e.s, e.t].forEach(function (ni) {
      var btn = html("button", "→ " + nodes[ni].name, html("div", null, panel), "cg-link");
      btn.addEventListener("click", function () { selectNode(ni); });
    });
  }
  nodeLayer.addEventListener("click", function (ev) { var i = ev.target.getAttribute("data-i"); if (i !== null && !(drag && drag.moved)) selectNode(+i); });
  edgeLayer.addEventListener("click", function (ev) { var i = ev.target.getAttribute("data-i"); if (i !== null && !(drag && drag.moved)) selectEdge(+i); });
  svg.addEventListener("click", function (ev) { if (ev.target === svg && !(drag && drag.moved)) clearSelection(); });

  // ---- legend, colour mode, labels, search ----
  function legend() {
    var box = document.getElementById("cg-legend");
    box.textContent = "";
    (data.legend[colourBy] || []).forEach(function (pair) {
      var row = html("div", null, box), dot = html("i", null, row);
      dot.style.background = pair[1];
      html("span", pair[0], row);
    });
  }
  var colourSelect = document.getElementById("cg-colour");
  colourSelect.value = colourBy;
  colourSelect.addEventListener("change", function () {
    colourBy = colourSelect.value;
    circles.forEach(function (c, i) { c.setAttribute("fill", nodes[i].colour[colourBy]); });
    legend();
  });
  legend();
  document.getElementById("cg-labels").addEventListener("change", function (ev) {
    labels.forEach(function (l, i) { l.style.display = ev.target.checked || labelled.has(i) ? "" : "none"; });
  });
  var names = document.getElementById("cg-names");
  if (n <= 5000) nodes.forEach(function (d) { var o = document.createElement("option"); o.value = d.name; names.appendChild(o); });
  document.getElementById("cg-search").addEventListener("change", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    if (!q) return;
    var hit = nodes.findIndex(function (d) { return d.name.toLowerCase() === q; });
    if (hit < 0) hit = nodes.findIndex(function (d) { return d.name.toLowerCase().indexOf(q) >= 0 || d.aliases.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; }); });
    if (hit < 0) { panel.textContent = ""; html("p", "No name matches “" + ev.target.value + "”.", panel, "cg-hint"); return; }
    var w = Math.min(home.w, K * 16), h = w * home.h / home.w;
    box = { x: pos.x[hit] - w / 2, y: pos.y[hit] - h / 2, w: w, h: h };
    applyBox();
    selectNode(hit);
  });

  document.getElementById("cg-counts").textContent = n + " nodes · " + m + " links" + (data.filters ? " · " + data.filters : "");
  window.casegraphStats = { nodes: circles.length, edges: lines.length, iterations: pos.iterations, layoutMs: pos.ms, ready: true };
  document.body.setAttribute("data-ready", "1");
})();
