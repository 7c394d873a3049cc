// The interactive parts of the JetLag report: the timeline canvas, the strips under it, and the
// selection shared by the graph, the table, the histograms and the timeline. Plain JavaScript,
// no libraries. Node ids are user data: they reach the page only through textContent.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var n = D.s.length;
  var LABEL = 132, LANE = 18, GAP = 3, AXIS = 20, STRIP = 46;
  var tip = document.getElementById('tip');
  var tl = document.getElementById('timeline');
  var util = document.getElementById('util');
  var mem = document.getElementById('mem');
  var view = { t0: 0, t1: Math.max(D.wall, 1) };
  var selected = null;
  var kindOn = new Uint8Array(D.kinds.length);
  var drag = null;

  // Spans of each lane, in start order (the trace is sorted by start).
  var lanes = D.lanes.map(function () { return []; });
  for (var i = 0; i < n; i++) { lanes[D.l[i]].push(i); }

  function nodeId(ix) { return D.nodes[ix][0]; }
  function color(kind) { return D.nodes[D.kinds[kind][0]][1]; }
  function top(id) { var k = id.indexOf('/'); return k < 0 ? id : id.substring(0, k); }
  function matches(id, sel) { return id === sel || id.indexOf(sel + '/') === 0; }

  function fmt(us) {
    var a = Math.abs(us);
    if (a < 1000) { return us.toFixed(a < 10 ? 1 : 0) + ' \u00b5s'; }
    if (a < 1e6) { return (us / 1000).toFixed(a < 1e5 ? 1 : 0) + ' ms'; }
    return (us / 1e6).toFixed(2) + ' s';
  }
  function fmtBytes(b) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], k = 0;
    while (b >= 1024 && k < u.length - 1) { b /= 1024; k++; }
    return (k === 0 ? b.toFixed(0) : b.toFixed(b < 10 ? 1 : 0)) + ' ' + u[k];
  }
  function niceStep(range, count) {
    var raw = range / count, p = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p;
    return p * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10);
  }

  function setup(canvas, height) {
    var ratio = window.devicePixelRatio || 1;
    var w = canvas.clientWidth || canvas.parentNode.clientWidth || 1000;
    canvas.style.height = height + 'px';
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(height * ratio);
    var g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, height);
    g.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
    return { g: g, w: w, h: height };
  }
  function xOf(t, w) { return LABEL + (t - view.t0) / (view.t1 - view.t0) * (w - LABEL - 8); }
  function tOf(x, w) { return view.t0 + (x - LABEL) / (w - LABEL - 8) * (view.t1 - view.t0); }

  function axis(c, y, ticks) {
    var g = c.g, step = niceStep(view.t1 - view.t0, 10);
    g.strokeStyle = '#e4e7eb'; g.fillStyle = '#616e7c'; g.textAlign = 'center'; g.lineWidth = 1;
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      var x = Math.round(xOf(t, c.w)) + 0.5;
      if (ticks) { g.beginPath(); g.moveTo(x, 0); g.lineTo(x, y); g.stroke(); }
      g.fillText(fmt(t), x, y + 14);
    }
  }

  function drawTimeline() {
    var h = D.lanes.length * (LANE + GAP) + AXIS + 4;
    var c = setup(tl, Math.max(h, 40)), g = c.g, w = c.w;
    axis(c, D.lanes.length * (LANE + GAP), true);
    g.textAlign = 'right'; g.fillStyle = '#3e4c59';
    var any = selected !== null;
    for (var l = 0; l < lanes.length; l++) {
      var y = l * (LANE + GAP);
      g.fillStyle = l % 2 ? '#fafbfc' : '#f3f5f8';
      g.fillRect(LABEL, y, w - LABEL - 8, LANE);
      g.fillStyle = '#3e4c59';
      var label = D.lanes[l];
      if (g.measureText(label).width > LABEL - 10) { label = '\u2026' + label.slice(-16); }
      g.fillText(label, LABEL - 8, y + LANE - 5);
      // Bars narrower than a pixel are merged: one rectangle per pixel column and colour.
      var lastPx = -1, lastKind = -1, lastOn = -1, ids = lanes[l];
      for (var j = 0; j < ids.length; j++) {
        var s = ids[j];
        var t0 = D.s[s], t1 = t0 + D.d[s];
        if (t1 < view.t0 || t0 > view.t1) { continue; }
        var x0 = xOf(t0, w), x1 = xOf(t1, w), k = D.k[s];
        var on = !any || kindOn[k] ? 1 : 0;
        var px = Math.floor(x0);
        if (x1 - x0 < 1 && px === lastPx && k === lastKind && on === lastOn) { continue; }
        lastPx = px; lastKind = k; lastOn = on;
        g.globalAlpha = on ? 1 : 0.13;
        g.fillStyle = color(k);
        g.fillRect(Math.max(LABEL, x0), y + 1, Math.max(1, Math.min(x1, w - 8) - Math.max(LABEL, x0)), LANE - 2);
      }
      g.globalAlpha = 1;
    }
    if (drag && drag.x1 !== undefined) {
      g.fillStyle = 'rgba(47, 111, 222, 0.15)';
      g.fillRect(Math.min(drag.x0, drag.x1), 0, Math.abs(drag.x1 - drag.x0), D.lanes.length * (LANE + GAP));
    }
  }

  function strip(canvas, label, values, maxV, fmtV, stepT, colorFill, colorLine) {
    var c = setup(canvas, STRIP), g = c.g, w = c.w, h = STRIP - 8;
    g.fillStyle = '#f3f5f8'; g.fillRect(LABEL, 2, w - LABEL - 8, h);
    g.fillStyle = '#3e4c59'; g.textAlign = 'right';
    g.fillText(label, LABEL - 8, 16);
    g.fillStyle = '#8795a1'; g.font = '11px system-ui, sans-serif';
    g.fillText(fmtV(maxV), LABEL - 8, 31);
    if (!values.length) { return; }
    g.save();
    g.beginPath(); g.rect(LABEL, 0, w - LABEL - 8, STRIP); g.clip();
    g.beginPath(); g.moveTo(xOf(values[0][0], w), 2 + h);
    for (var i = 0; i < values.length; i++) {
      var x = xOf(values[i][0], w), y = 2 + h - values[i][1] / maxV * h;
      g.lineTo(x, y);
      if (stepT) { g.lineTo(xOf(values[i][0] + stepT, w), y); }
    }
    g.lineTo(xOf(values[values.length - 1][0] + (stepT || 0), w), 2 + h); g.closePath();
    g.fillStyle = colorFill; g.fill(); g.strokeStyle = colorLine; g.lineWidth = 1.2; g.stroke();
    g.restore();
  }

  function drawStrips() {
    var bw = D.wall / Math.max(1, D.util.length), u = [];
    for (var i = 0; i < D.util.length; i++) { u.push([i * bw, D.util[i]]); }
    strip(util, 'threads busy', u, 1, function () { return '100%'; }, bw, 'rgba(47,111,222,0.28)', '#2f6fde');
    var m = [], peak = 0;
    for (var j = 0; j + 1 < D.mem.length; j += 2) { m.push([D.mem[j], D.mem[j + 1]]); peak = Math.max(peak, D.mem[j + 1]); }
    mem.style.display = m.length ? 'block' : 'none';
    if (m.length) { strip(mem, 'live memory', m, Math.max(peak, 1), fmtBytes, 0, 'rgba(217,72,15,0.2)', '#d9480f'); }
  }

  // The client's phases (Beam runs): one lane of named bars above the workers' lanes.
  var phasesCanvas = document.getElementById('phases');
  var PHASE_COLORS = ['#9fb3c8', '#bcccdc'];
  function drawPhases() {
    phasesCanvas.style.display = D.phases.length ? 'block' : 'none';
    if (!D.phases.length) { return; }
    var c = setup(phasesCanvas, LANE + 8), g = c.g, w = c.w;
    g.fillStyle = '#f3f5f8'; g.fillRect(LABEL, 2, w - LABEL - 8, LANE);
    g.fillStyle = '#3e4c59'; g.textAlign = 'right';
    g.fillText('client', LABEL - 8, LANE - 3);
    g.save();
    g.beginPath(); g.rect(LABEL, 0, w - LABEL - 8, LANE + 8); g.clip();
    g.textAlign = 'left';
    for (var i = 0; i < D.phases.length; i++) {
      var p = D.phases[i], x0 = xOf(p[1], w), x1 = xOf(p[2], w);
      if (x1 < LABEL || x0 > w - 8) { continue; }
      g.fillStyle = PHASE_COLORS[i % 2];
      g.fillRect(x0, 3, Math.max(1, x1 - x0 - 1), LANE - 2);
      if (x1 - x0 > 40) {
        var name = p[0], room = x1 - Math.max(x0, LABEL) - 8;
        while (name.length > 1 && g.measureText(name).width > room) { name = name.slice(0, -2) + '\u2026'; }
        g.fillStyle = '#1f2933';
        if (g.measureText(name).width <= room) { g.fillText(name, Math.max(x0, LABEL) + 4, LANE - 3); }
      }
    }
    g.restore();
  }
  function phaseAt(ev) {
    var r = phasesCanvas.getBoundingClientRect(), t = tOf(ev.clientX - r.left, phasesCanvas.clientWidth);
    for (var i = 0; i < D.phases.length; i++) {
      if (D.phases[i][1] <= t && t <= D.phases[i][2]) { return D.phases[i]; }
    }
    return null;
  }
  phasesCanvas.addEventListener('mousemove', function (ev) {
    var p = phaseAt(ev);
    if (!p) { tip.hidden = true; return; }
    showTip(ev, p[0] + '\n' + 'duration ' + fmt(p[2] - p[1]) + ' \u00b7 start ' + fmt(p[1]));
  });
  phasesCanvas.addEventListener('mouseleave', function () { tip.hidden = true; });

  function draw() { drawPhases(); drawTimeline(); drawStrips(); }

  function spanAt(ev) {
    var r = tl.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
    var l = Math.floor(y / (LANE + GAP));
    if (l < 0 || l >= lanes.length || x < LABEL) { return -1; }
    var w = tl.clientWidth, t = tOf(x, w), slack = (view.t1 - view.t0) / (w - LABEL) * 2;
    var ids = lanes[l], lo = 0, hi = ids.length - 1, best = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (D.s[ids[mid]] <= t + slack) { best = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    for (var k = best; k >= 0 && k > best - 64; k--) {
      var s = ids[k];
      if (D.s[s] - slack <= t && D.s[s] + D.d[s] + slack >= t) { return s; }
    }
    return -1;
  }

  function showTip(ev, text) {
    tip.textContent = text; tip.hidden = false;
    var x = ev.clientX + 14, y = ev.clientY + 14;
    if (x + tip.offsetWidth > window.innerWidth - 8) { x = ev.clientX - tip.offsetWidth - 14; }
    if (y + tip.offsetHeight > window.innerHeight - 8) { y = ev.clientY - tip.offsetHeight - 14; }
    tip.style.left = x + 'px'; tip.style.top = y + 'px';
  }

  function spanText(s) {
    var kind = D.kinds[s.k], fused = kind.slice(2).map(nodeId);
    var lines = [nodeId(kind[0]) + ' (' + kind[1] + ')'];
    if (fused.length > 1) { lines.push('fused: ' + fused.join(', ')); }
    lines.push('chunk ' + (s.c < 0 ? 'whole array' : s.c) + ' \u00b7 ' + D.lanes[s.l]);
    lines.push('duration ' + fmt(s.d) + ' \u00b7 start ' + fmt(s.s));
    return lines.join('\n');
  }

  function select(id) {
    selected = id === selected ? null : id;
    for (var k = 0; k < D.kinds.length; k++) {
      var on = 0;
      if (selected !== null) {
        for (var f = 2; f < D.kinds[k].length; f++) { if (matches(nodeId(D.kinds[k][f]), selected)) { on = 1; } }
        if (matches(nodeId(D.kinds[k][0]), selected)) { on = 1; }
      }
      kindOn[k] = on;
    }
    document.querySelectorAll('[data-node]').forEach(function (el) {
      var own = el.getAttribute('data-node');
      var on = selected !== null && (own === selected || (el.classList.contains('node') && own === top(selected)));
      el.classList.toggle('sel', on);
    });
    document.querySelectorAll('#node-legend span').forEach(function (el) {
      el.classList.toggle('sel', selected !== null && el.getAttribute('data-id') === selected);
    });
    drawTimeline();
  }

  document.querySelectorAll('[data-node]').forEach(function (el) {
    el.addEventListener('click', function () { select(el.getAttribute('data-node')); });
  });

  tl.addEventListener('mousemove', function (ev) {
    if (drag) {
      drag.x1 = ev.clientX - tl.getBoundingClientRect().left; drawTimeline(); return;
    }
    var s = spanAt(ev);
    if (s < 0) { tip.hidden = true; return; }
    showTip(ev, spanText({ k: D.k[s], c: D.c[s], l: D.l[s], d: D.d[s], s: D.s[s] }));
  });
  tl.addEventListener('mouseleave', function () { tip.hidden = true; });
  tl.addEventListener('mousedown', function (ev) {
    drag = { x0: ev.clientX - tl.getBoundingClientRect().left };
  });
  window.addEventListener('mouseup', function (ev) {
    if (!drag) { return; }
    var d = drag; drag = null;
    if (d.x1 !== undefined && Math.abs(d.x1 - d.x0) > 4) {
      var w = tl.clientWidth, a = tOf(Math.min(d.x0, d.x1), w), b = tOf(Math.max(d.x0, d.x1), w);
      view = { t0: Math.max(0, a), t1: Math.max(b, a + 1) };
      draw();
    } else if (ev.target === tl) {
      var s = spanAt(ev);
      if (s >= 0) { select(nodeId(D.kinds[D.k[s]][0])); } else if (selected !== null) { select(selected); }
    }
  });
  tl.addEventListener('dblclick', function () { view = { t0: 0, t1: Math.max(D.wall, 1) }; draw(); });

  // The legend of timeline colours: the coloured nodes by time, then "other".
  (function legend() {
    var box = document.getElementById('node-legend'), other = false;
    var listed = [];
    var loops = false;
    D.nodes.forEach(function (nd) {
      if (nd[1] === '#bab0ac') { other = true; } else if (nd[1] === '#cbd2d9') { loops = true; } else { listed.push(nd); }
    });
    var order = Array.prototype.map.call(document.querySelectorAll('#nodes tbody tr'), function (tr) { return tr.getAttribute('data-node'); });
    listed.sort(function (a, b) {
      var ia = order.indexOf(a[0]), ib = order.indexOf(b[0]);
      return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
    });
    listed.forEach(function (nd) {
      var s = document.createElement('span'), sw = document.createElement('i');
      sw.className = 'sw'; sw.style.background = nd[1];
      s.appendChild(sw); s.appendChild(document.createTextNode(nd[0]));
      s.setAttribute('data-id', nd[0]);
      s.addEventListener('click', function () { select(nd[0]); });
      box.appendChild(s);
    });
    if (other) {
      var s = document.createElement('span'), sw = document.createElement('i');
      sw.className = 'sw'; sw.style.background = '#bab0ac';
      s.appendChild(sw); s.appendChild(document.createTextNode('other nodes'));
      box.appendChild(s);
    }
    if (loops) {
      var s2 = document.createElement('span'), sw2 = document.createElement('i');
      sw2.className = 'sw'; sw2.style.background = '#cbd2d9';
      s2.appendChild(sw2); s2.appendChild(document.createTextNode('loop iterations (enclose their body tasks)'));
      box.appendChild(s2);
    }
  })();

  var pending = false;
  window.addEventListener('resize', function () {
    if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; draw(); }); }
  });
  draw();
})();
