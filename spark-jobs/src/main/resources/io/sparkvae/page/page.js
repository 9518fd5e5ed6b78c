// The run page's script (inlined into index.html by io.sparkvae.page.PageHtml): training curves as SVG and the latent
// explorer, whose decoder runs here on the weights embedded in the page. No network, no libraries.
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('page-data').textContent);
  var SVG = 'http://www.w3.org/2000/svg';
  var SHAPE = DATA.shape;

  // ---- embedded arrays ------------------------------------------------------------------------------------------
  function bytes(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function float32s(b64) {
    var u = typeof b64 === 'string' ? bytes(b64) : b64, dv = new DataView(u.buffer), out = new Float32Array(u.length / 4);
    for (var i = 0; i < out.length; i++) out[i] = dv.getFloat32(4 * i, true);
    return out;
  }
  function halfToFloat(h) {
    var sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    if (exp === 0) return sign * mant * Math.pow(2, -24);
    if (exp === 31) return mant ? NaN : sign * Infinity;
    return sign * (1 + mant / 1024) * Math.pow(2, exp - 15);
  }
  function float16s(u) {
    var dv = new DataView(u.buffer), out = new Float32Array(u.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = halfToFloat(dv.getUint16(2 * i, true));
    return out;
  }

  // ---- the decoder: hidden layers (relu or tanh), sigmoid pixel means, HWC order ----------------------------------
  var D = DATA.decoder;
  // The weights come deflated as byte planes (every value's byte 0, then byte 1, ...): inflated by the browser,
  // interleaved back into little-endian values. Until then the explorer waits (body data-ready is set after).
  var valueBytes = D.precision === 'float16' ? 2 : 4, layers = null;
  function inflate(b64) {
    var stream = new Blob([bytes(b64)]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).arrayBuffer().then(function (buf) {
      var planes = new Uint8Array(buf), n = planes.length / valueBytes, out = new Uint8Array(planes.length);
      for (var p = 0; p < valueBytes; p++) for (var i = 0; i < n; i++) out[i * valueBytes + p] = planes[p * n + i];
      return out;
    });
  }
  var layersLoaded = Promise.all(D.layers.map(function (l) {
    return inflate(l.w).then(function (w) {
      return { n: l.in, m: l.out, w: valueBytes === 2 ? float16s(w) : float32s(w), b: float32s(l.b) };
    });
  }));
  var tanh = D.activation === 'tanh';
  function decode(z) {
    var x = new Float64Array(z.length);
    for (var i = 0; i < z.length; i++) x[i] = Math.fround(z[i]);
    for (var l = 0; l < layers.length; l++) {
      var L = layers[l], last = l === layers.length - 1, y = new Float64Array(L.m);
      for (var j = 0; j < L.m; j++) {
        var s = L.b[j], base = j * L.n;
        for (var k = 0; k < L.n; k++) s += L.w[base + k] * x[k];
        y[j] = last ? 1 / (1 + Math.exp(-s)) : tanh ? Math.tanh(s) : (s > 0 ? s : 0);
      }
      x = y;
    }
    return x;
  }
  function toByte(v) { return !(v >= 0) ? 0 : v >= 1 ? 255 : Math.round(v * 255); }
  function imageOf(pixels) {
    var img = new ImageData(SHAPE.width, SHAPE.height), c = SHAPE.channels;
    for (var p = 0; p < SHAPE.width * SHAPE.height; p++) {
      var r = toByte(pixels[p * c]);
      img.data[4 * p] = r;
      img.data[4 * p + 1] = c === 1 ? r : toByte(pixels[p * c + 1]);
      img.data[4 * p + 2] = c === 1 ? r : toByte(pixels[p * c + 2]);
      img.data[4 * p + 3] = 255;
    }
    return img;
  }
  var scratch = document.createElement('canvas');
  scratch.width = SHAPE.width;
  scratch.height = SHAPE.height;
  function show(canvas, image, scale) {
    canvas.width = SHAPE.width * scale;
    canvas.height = SHAPE.height * scale;
    scratch.getContext('2d').putImageData(image, 0, 0);
    var g = canvas.getContext('2d');
    g.imageSmoothingEnabled = false;
    g.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  }
  var SCALE = Math.max(1, Math.floor(192 / Math.max(SHAPE.width, SHAPE.height)));
  var SMALL = Math.max(1, Math.floor(96 / Math.max(SHAPE.width, SHAPE.height)));

  // ---- training curves ------------------------------------------------------------------------------------------
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function ticks(lo, hi, n) {
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    [1, 2, 5, 10].some(function (f) { if ((hi - lo) / (step * f) <= n) { step *= f; return true; } return false; });
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
    return out;
  }
  function fmt(v) { return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en') : (+v.toPrecision(5)).toString(); }
  var tip = document.getElementById('chart-tip');
  function chart(host, title, unit, series) {
    var W = 520, H = 280, ml = 64, mr = 16, mt = 28, mb = 40;
    var epochs = DATA.epochs.map(function (e) { return e.epoch; });
    var x0 = Math.min.apply(null, epochs), x1 = Math.max.apply(null, epochs);
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    var ys = [];
    series.forEach(function (s) { DATA.epochs.forEach(function (e) { if (e[s.key] != null) ys.push(e[s.key]); }); });
    var y0 = ys.length ? Math.min.apply(null, ys) : 0, y1 = ys.length ? Math.max.apply(null, ys) : 1;
    var pad = (y1 - y0) * 0.08 || Math.max(1, Math.abs(y0) * 0.05);
    y0 -= pad; y1 += pad;
    var X = function (v) { return ml + (v - x0) / (x1 - x0) * (W - ml - mr); };
    var Y = function (v) { return mt + (y1 - v) / (y1 - y0) * (H - mt - mb); };
    var svg = el('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title }, host);
    el('text', { x: ml, y: 16, 'class': 'title' }, svg).textContent = title;
    ticks(y0, y1, 5).forEach(function (t) {
      el('line', { x1: ml, x2: W - mr, y1: Y(t), y2: Y(t), 'class': 'gridline' }, svg);
      el('text', { x: ml - 6, y: Y(t) + 4, 'text-anchor': 'end' }, svg).textContent = fmt(t);
    });
    ticks(x0, x1, 8).filter(function (t) { return t === Math.round(t) && t >= 1; }).forEach(function (t) {
      el('text', { x: X(t), y: H - mb + 16, 'text-anchor': 'middle' }, svg).textContent = t;
    });
    el('text', { x: (ml + W - mr) / 2, y: H - 6, 'text-anchor': 'middle' }, svg).textContent = 'epoch';
    el('text', { x: 14, y: (mt + H - mb) / 2, 'text-anchor': 'middle', transform: 'rotate(-90 14 ' + (mt + H - mb) / 2 + ')' }, svg)
        .textContent = unit;
    el('line', { x1: ml, x2: ml, y1: mt, y2: H - mb, 'class': 'axis' }, svg);
    el('line', { x1: ml, x2: W - mr, y1: H - mb, y2: H - mb, 'class': 'axis' }, svg);
    var legendX = W - mr;
    series.slice().reverse().forEach(function (s) {
      var t = el('text', { x: legendX, y: 16, 'text-anchor': 'end', fill: s.color }, svg);
      t.textContent = '\u25cf ' + s.name;
      legendX -= 8 + 7 * (s.name.length + 2);
    });
    series.forEach(function (s) {
      var pts = DATA.epochs.filter(function (e) { return e[s.key] != null; });
      if (pts.length > 1) {
        el('polyline', { points: pts.map(function (e) { return X(e.epoch) + ',' + Y(e[s.key]); }).join(' '), fill: 'none',
          stroke: s.color, 'stroke-width': 2 }, svg);
      }
      pts.forEach(function (e) {
        var c = el('circle', { cx: X(e.epoch), cy: Y(e[s.key]), r: 3.5, fill: s.color, 'class': 'pt', 'data-series': s.key,
          'data-epoch': e.epoch, 'data-value': e[s.key] }, svg);
        el('title', {}, c).textContent = s.name + ', epoch ' + e.epoch + ': ' + fmt(e[s.key]);
      });
    });
    var guide = el('line', { y1: mt, y2: H - mb, 'class': 'guide', visibility: 'hidden' }, svg);
    svg.addEventListener('mousemove', function (ev) {
      var r = svg.getBoundingClientRect(), px = ev.clientX - r.left, best = null;
      DATA.epochs.forEach(function (e) { if (!best || Math.abs(X(e.epoch) - px) < Math.abs(X(best.epoch) - px)) best = e; });
      if (!best) return;
      guide.setAttribute('x1', X(best.epoch));
      guide.setAttribute('x2', X(best.epoch));
      guide.setAttribute('visibility', 'visible');
      tip.hidden = false;
      tip.textContent = '';
      var head = document.createElement('b');
      head.textContent = 'epoch ' + best.epoch;
      tip.appendChild(head);
      series.forEach(function (s) {
        var line = document.createElement('div');
        line.textContent = s.name + ': ' + (best[s.key] == null ? 'n/a' : fmt(best[s.key]));
        tip.appendChild(line);
      });
      tip.style.left = (ev.clientX + 14) + 'px';
      tip.style.top = (ev.clientY + 10) + 'px';
    });
    svg.addEventListener('mouseleave', function () { tip.hidden = true; guide.setAttribute('visibility', 'hidden'); });
  }
  if (DATA.epochs.length) {
    chart(document.getElementById('chart-elbo'), '-ELBO per epoch', 'nats per image',
      [{ key: 'train', name: 'train', color: '#2f6fdf' }, { key: 'val', name: 'validation', color: '#e0662f' }]);
    chart(document.getElementById('chart-speed'), 'Training speed', 'images / s', [{ key: 'speed', name: 'images/s', color: '#2a9d6f' }]);
  }

  // ---- the latent explorer --------------------------------------------------------------------------------------
  var S = DATA.sample, nz = D.latent, n = S.count, means = float32s(S.means);
  function mu(i, d) { return means[i * nz + d]; }
  var stats = [];
  for (var d = 0; d < nz; d++) {
    var lo = Infinity, hi = -Infinity, sum = 0, sq = 0;
    for (var i = 0; i < n; i++) { var v = mu(i, d); lo = Math.min(lo, v); hi = Math.max(hi, v); sum += v; sq += v * v; }
    if (!n || !(hi > lo)) { lo = (n ? lo : 0) - 3; hi = (n ? hi : 0) + 3; }
    var mean = n ? sum / n : 0;
    stats.push({ lo: lo - 0.05 * (hi - lo), hi: hi + 0.05 * (hi - lo), mean: mean, variance: n ? sq / n - mean * mean : 0 });
  }
  // Two dimensions are shown as they are; of more, the two whose means vary most span the plane.
  var order = stats.map(function (s, k) { return k; });
  if (nz > 2) order.sort(function (a, b) { return stats[b].variance - stats[a].variance || a - b; });
  var dx = order[0], dy = nz > 1 ? order[1] : -1;
  var z = stats.map(function (s) { return s.mean; });
  var plane = document.getElementById('plane'), pg = plane.getContext('2d');
  var P = 28, PW = plane.width, PH = plane.height;
  var yStat = dy >= 0 ? stats[dy] : { lo: -1, hi: 1 };
  function px(v) { return P + (v - stats[dx].lo) / (stats[dx].hi - stats[dx].lo) * (PW - 2 * P); }
  function py(v) { return PH - P - (v - yStat.lo) / (yStat.hi - yStat.lo) * (PH - 2 * P); }
  function zx(x) { return stats[dx].lo + (x - P) / (PW - 2 * P) * (stats[dx].hi - stats[dx].lo); }
  function zy(y) { return yStat.lo + (PH - P - y) / (PH - 2 * P) * (yStat.hi - yStat.lo); }
  function colour(label) {
    if (label == null) return 'rgba(47,111,223,0.55)';
    var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
    return label >= 0 && label < 10 ? palette[label] : 'hsl(' + ((label * 137.5) % 360) + ',65%,45%)';
  }
  function pointY(i) { return dy >= 0 ? py(mu(i, dy)) : PH / 2; }
  function drawPlane(mark) {
    pg.clearRect(0, 0, PW, PH);
    pg.strokeStyle = '#c9ced8';
    pg.strokeRect(P, P, PW - 2 * P, PH - 2 * P);
    pg.fillStyle = '#5b6475';
    pg.font = '11px sans-serif';
    pg.fillText('z' + (dx + 1) + ' \u2192', PW - P - 40, PH - 8);
    if (dy >= 0) { pg.save(); pg.translate(12, P + 40); pg.rotate(-Math.PI / 2); pg.fillText('z' + (dy + 1) + ' \u2192', 0, 0); pg.restore(); }
    for (var i = 0; i < n; i++) {
      pg.fillStyle = colour(S.label ? S.label[i] : null);
      pg.beginPath();
      pg.arc(px(mu(i, dx)), pointY(i), 2.2, 0, 2 * Math.PI);
      pg.fill();
    }
    if (mark) {
      pg.strokeStyle = '#1d2330';
      pg.beginPath();
      pg.moveTo(mark.x - 8, mark.y); pg.lineTo(mark.x + 8, mark.y); pg.moveTo(mark.x, mark.y - 8); pg.lineTo(mark.x, mark.y + 8);
      pg.stroke();
    }
  }
  document.getElementById('plane-axes').textContent = nz === 1 ? 'z1 across (a one-dimensional latent space)'
    : nz === 2 ? 'z1 across, z2 up' : 'z' + (dx + 1) + ' across and z' + (dy + 1) + ' up: the two dimensions whose means vary most; '
      + 'the sliders set the other ' + (nz - 2) + '.';
  if (S.label) {
    var seen = {};
    S.label.forEach(function (l) { if (l != null) seen[l] = true; });
    var legend = document.getElementById('legend');
    Object.keys(seen).map(Number).sort(function (a, b) { return a - b; }).slice(0, 40).forEach(function (l) {
      var s = document.createElement('span'), dot = document.createElement('i');
      dot.style.background = colour(l);
      s.appendChild(dot);
      s.appendChild(document.createTextNode('label ' + l));
      legend.appendChild(s);
    });
  }
  var sliders = document.getElementById('sliders');
  order.slice(2).sort(function (a, b) { return a - b; }).forEach(function (k) {
    var label = document.createElement('label'), input = document.createElement('input'), value = document.createElement('span');
    input.type = 'range';
    input.min = stats[k].lo;
    input.max = stats[k].hi;
    input.step = (stats[k].hi - stats[k].lo) / 400;
    input.value = z[k];
    input.id = 'slider-z' + (k + 1);
    value.textContent = 'z' + (k + 1) + ' = ' + z[k].toFixed(3);
    input.addEventListener('input', function () {
      z[k] = parseFloat(input.value);
      value.textContent = 'z' + (k + 1) + ' = ' + z[k].toFixed(3);
      render();
    });
    label.appendChild(value);
    label.appendChild(input);
    sliders.appendChild(label);
  });
  var decoded = document.getElementById('decoded'), decodedZ = document.getElementById('decoded-z');
  var atlas = document.getElementById('atlas');
  var orig = document.getElementById('hover-original'), recon = document.getElementById('hover-recon');
  var info = document.getElementById('hover-info');
  orig.width = recon.width = SHAPE.width * SMALL;
  orig.height = recon.height = SHAPE.height * SMALL;
  function render() {
    if (!layers) return;
    var point = Array.prototype.map.call(Float32Array.from(z), Number);
    show(decoded, imageOf(decode(point)), SCALE);
    decoded.setAttribute('data-z', JSON.stringify(point));
    decodedZ.textContent = 'z = [' + point.map(function (v) { return v.toFixed(3); }).join(', ') + ']';
  }
  function nearest(x, y) {
    var best = -1, bd = 36;
    for (var i = 0; i < n; i++) {
      var ex = px(mu(i, dx)) - x, ey = pointY(i) - y, dd = ex * ex + ey * ey;
      if (dd < bd) { bd = dd; best = i; }
    }
    return best;
  }
  function showExample(i) {
    if (!layers) return;
    var cols = S.columns, g = orig.getContext('2d');
    g.imageSmoothingEnabled = false;
    g.drawImage(atlas, (i % cols) * SHAPE.width, Math.floor(i / cols) * SHAPE.height, SHAPE.width, SHAPE.height, 0, 0,
      orig.width, orig.height);
    var m = [];
    for (var d = 0; d < nz; d++) m.push(mu(i, d));
    show(recon, imageOf(decode(m)), SMALL);
    info.textContent = 'test example ' + S.index[i] + (S.label && S.label[i] != null ? ', label ' + S.label[i] : '');
  }
  plane.addEventListener('mousemove', function (ev) {
    var r = plane.getBoundingClientRect();
    // Decoded at once (one decode takes milliseconds): the canvas always shows the pointer's own point.
    var p = { x: (ev.clientX - r.left) * PW / r.width, y: (ev.clientY - r.top) * PH / r.height };
    z[dx] = zx(p.x);
    if (dy >= 0) z[dy] = zy(p.y);
    render();
    drawPlane(p);
    var i = nearest(p.x, p.y);
    if (i >= 0) showExample(i);
  });
  if (n) plane.setAttribute('data-first-point', JSON.stringify([px(mu(0, dx)), pointY(0)]));
  drawPlane(null);
  layersLoaded.then(function (ls) {
    layers = ls;
    render();
    document.body.setAttribute('data-ready', 'true');
  }, function (e) {
    console.error('the decoder weights did not load: ' + e);
  });
})();
