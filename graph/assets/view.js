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
    var deg = new Float64Array(c), ids_comm = new Map(), comm = new Int32Array(c);
    es.forEach(function (e) { deg[local.get(edges[e].s)] += 1; deg[local.get(edges[e].t)] += 1; });
    ids.forEach(function (v, i) {
      var key = nodes[v].community;
      if (!ids_comm.has(key)) ids_comm.set(key, ids_comm.size);
      comm[i] = ids_comm.get(key);
    });
    var cx = new Float64Array(ids_comm.size), cy = new Float64Array(ids_comm.size), cn = new Float64Array(ids_comm.size);
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
        // Springs are shared out over each end's links: a sentence naming twelve bodies would
        // otherwise pull its clique into one unreadable knot.
        f = d / K * (1 + 0.3 * Math.log(edges[es[e]].weight || 1)) / Math.max(1, Math.min(deg[s], deg[t]));
        fx[s] -= dx * f; fy[s] -= dy * f; fx[t] += dx * f; fy[t] += dy * f;
      }
      // A light pull towards the centre of each node's community keeps communities visibly grouped.
      cx.fill(0); cy.fill(0); cn.fill(0);
      for (i = 0; i < c; i++) { cx[comm[i]] += X[i]; cy[comm[i]] += Y[i]; cn[comm[i]] += 1; }
      for (i = 0; i < c; i++) {
        var g = comm[i];
        if (cn[g] > 2) { fx[i] -= (X[i] - cx[g] / cn[g]) * 0.04; fy[i] -= (Y[i] - cy[g] / cn[g]) * 0.04; }
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
    // Shelf packing: rows as wide as the canvas's own shape wants for this much area, so the
    // drawing fills the frame it is shown in rather than a fixed 16:10.
    var aspect = Math.min(3, Math.max(0.6, (svg.clientWidth || 800) / (svg.clientHeight || 600)));
    var rowWidth = Math.max(boxes.length ? boxes[0].w + 2 * K : 0, Math.sqrt(area * aspect)), cx = 0, cy = 0, rowH = 0;
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
  var labelled = new Set();
  var labelsBox = document.getElementById("cg-labels");

  // Communities of three or more sit on a soft patch of their colour, so groups read at a glance
  // whatever the nodes are coloured by.
  var hullLayer = el("g", { id: "cg-hulls" });
  viewport.insertBefore(hullLayer, edgeLayer);
  (function () {
    var groups = new Map();
    nodes.forEach(function (d, i) { if (!groups.has(d.community)) groups.set(d.community, []); groups.get(d.community).push(i); });
    groups.forEach(function (members) {
      if (members.length < 3) return;
      var pts = members.map(function (i) { return [pos.x[i], pos.y[i]]; }).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      var cross = function (o, a, b) { return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]); };
      var lower = [], upper = [];
      pts.forEach(function (p) { while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop(); lower.push(p); });
      pts.slice().reverse().forEach(function (p) { while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop(); upper.push(p); });
      var hull = lower.slice(0, -1).concat(upper.slice(0, -1));
      var colour = nodes[members[0]].colour.community;
      el("polygon", { points: hull.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "),
                      fill: colour, stroke: colour, "stroke-width": 28, "stroke-linejoin": "round",
                      "fill-opacity": 0.09, "stroke-opacity": 0.09, "data-community": nodes[members[0]].community }, hullLayer);
    });
  })();

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
  function currentScale() { return Math.max(box.w / (svg.clientWidth || 800), box.h / (svg.clientHeight || 600)); }
  function applyBox() {
    svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].map(function (v) { return v.toFixed(1); }).join(" "));
    var scale = currentScale();
    labelLayer.style.fontSize = (11 * scale).toFixed(2) + "px";
    labelLayer.style.strokeWidth = (3 * scale).toFixed(2) + "px";
    placeLabelsSoon();
  }

  // ---- labels: the best-connected nodes first, each where it collides with no label or node ----
  var widths = null, pending = false, MAX_LABELLED = 400;
  function placeLabelsSoon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; placeLabels(); });
  }
  function placeLabels() {
    var scale = currentScale();
    if (!widths) {  // text widths at an 11-unit font, measured once; the font scales with the zoom
      var keep = labelLayer.style.fontSize;
      labelLayer.style.fontSize = "11px";
      widths = labels.map(function (l) { var d = l.style.display; l.style.display = ""; var w = l.getComputedTextLength(); l.style.display = d; return w; });
      labelLayer.style.fontSize = keep;
    }
    // What is on screen: the view box is centred in the canvas (preserveAspectRatio's default).
    var seenW = (svg.clientWidth || 800) * scale, seenH = (svg.clientHeight || 600) * scale;
    var vx0 = box.x + (box.w - seenW) / 2, vy0 = box.y + (box.h - seenH) / 2, vx1 = vx0 + seenW, vy1 = vy0 + seenH;
    var h = 14 * scale, gap = 2 * scale, taken = [];
    var obstacles = n <= 1500;
    function free(b, own) {
      if (b[0] < vx0 || b[1] < vy0 || b[2] > vx1 || b[3] > vy1) return false;
      for (var t = 0; t < taken.length; t++) { var o = taken[t]; if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return false; }
      if (obstacles) {
        for (var j = 0; j < n; j++) {
          if (j === own) continue;
          var r = radius[j], x = pos.x[j], y = pos.y[j];
          if (b[0] < x + r && x - r < b[2] && b[1] < y + r && y - r < b[3]) return false;
        }
      }
      return true;
    }
    labelled = new Set();
    for (var k = 0; k < ranked.length && labelled.size < MAX_LABELLED; k++) {
      var i = ranked[k], w = widths[i] * scale + gap, r = radius[i], x = pos.x[i], y = pos.y[i];
      var spots = [[x + r + gap, y - h / 2, "start"], [x - r - gap - w, y - h / 2, "end"],
                   [x - w / 2, y - r - gap - h, "middle"], [x - w / 2, y + r + gap, "middle"]];
      for (var c = 0; c < spots.length; c++) {
        var b = [spots[c][0], spots[c][1], spots[c][0] + w, spots[c][1] + h];
        if (!free(b, i)) continue;
        taken.push(b);
        labelled.add(i);
        var anchor = spots[c][2], tx = anchor === "start" ? b[0] : anchor === "end" ? b[2] - gap : (b[0] + b[2]) / 2;
        labels[i].setAttribute("x", tx.toFixed(1));
        labels[i].setAttribute("y", (b[1] + h * 0.72).toFixed(1));
        labels[i].setAttribute("text-anchor", anchor);
        break;
      }
    }
    showLabels();
    document.body.setAttribute("data-labelled", String(labelled.size));  // lets a test wait for placement
  }
  function showLabels() {
    var all = labelsBox.checked;
    labels.forEach(function (l, i) { l.style.display = all || labelled.has(i) || l.classList.contains("cg-near") ? "" : "none"; });
  }
  applyBox();
  window.casegraphLabels = placeLabels;
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
  nodeLayer.addEventListener("mouseover", function (ev) {
    var i = ev.target.getAttribute("data-i");
    if (i === null) return;
    showTip(ev, nodeTip(+i));
    labels[+i].style.display = "";
  });
  nodeLayer.addEventListener("mouseout", function () { showLabels(); });
  edgeLayer.addEventListener("mouseover", function (ev) { var i = ev.target.getAttribute("data-i"); if (i !== null) showTip(ev, edgeTip(+i)); });
  nodeLayer.addEventListener("mouseout", hideTip);
  edgeLayer.addEventListener("mouseout", hideTip);

  function clearSelection() {
    svg.classList.remove("cg-faded");
    Array.prototype.forEach.call(svg.querySelectorAll(".cg-on, .cg-near"), function (x) { x.classList.remove("cg-on", "cg-near"); });
    showLabels();
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
  labelsBox.addEventListener("change", showLabels);
  var names = document.getElementById("cg-names");
  if (n <= 5000) nodes.forEach(function (d) { var o = document.createElement("option"); o.value = d.name; names.appendChild(o); });
  // The last name stays selected (after a search, and on focus), so typing a new name replaces
  // it rather than extending it; the mouseup that focused the box would otherwise drop the selection.
  var search = document.getElementById("cg-search"), justFocused = false;
  search.addEventListener("focus", function () { search.select(); justFocused = true; });
  search.addEventListener("mouseup", function (ev) { if (justFocused) ev.preventDefault(); justFocused = false; });
  search.addEventListener("change", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    if (!q) return;
    var hit = nodes.findIndex(function (d) { return d.name.toLowerCase() === q; });
    if (hit < 0) hit = nodes.findIndex(function (d) { return d.name.toLowerCase().indexOf(q) >= 0 || d.aliases.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; }); });
    if (hit < 0) { panel.textContent = ""; html("p", "No name matches “" + ev.target.value + "”.", panel, "cg-hint"); return; }
    var w = Math.min(home.w, K * 16), h = w * home.h / home.w;
    box = { x: pos.x[hit] - w / 2, y: pos.y[hit] - h / 2, w: w, h: h };
    applyBox();
    selectNode(hit);
    search.select();
  });

  document.getElementById("cg-counts").textContent = n + " nodes · " + m + " links" + (data.filters ? " · " + data.filters : "");
  window.casegraphStats = { nodes: circles.length, edges: lines.length, iterations: pos.iterations, layoutMs: pos.ms, ready: true };
  document.body.setAttribute("data-ready", "1");
})();
