/**
 * The browser-side script that draws the charts from the embedded JSON with the inlined Chart.js.
 * Kept as a plain string (not a compiled function) so what runs in the page is exactly what is written here;
 * it must contain no backslashes, backticks or dollar-brace sequences.
 */
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var dataEl = document.getElementById('report-data');
  if (!dataEl || typeof Chart === 'undefined') return;
  var data = JSON.parse(dataEl.textContent || '{"cases":[]}');
  var PALETTE = ['#4e79a7', '#59a14f', '#b07aa1', '#76b7b2', '#9c755f', '#edc948', '#ff9da7', '#bab0ac'];
  var LOGOUT = 'rgba(214, 69, 65, 0.8)';
  var ERROR = 'rgba(80, 80, 80, 0.55)';
  var BAND_FILL = 'rgba(230, 145, 20, 0.13)';
  var BAND_EDGE = 'rgba(190, 110, 0, 0.55)';
  var BAND_TEXT = '#7a4a00';
  var LABEL_H = 15;

  // The body's font, written out: asking the page for it would lay out the whole report before it shows.
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.font.size = 11;
  Chart.defaults.color = '#4a4f57';
  Chart.defaults.animation = false;

  var byName = function (a, b) { return a.localeCompare(b, 'en', { numeric: true }); };
  var allNodes = {};
  data.cases.forEach(function (c) {
    Object.keys(c.nodes).concat(Object.keys(c.requestsByNode)).forEach(function (n) { allNodes[n] = true; });
  });
  var nodeColor = {};
  Object.keys(allNodes).sort(byName).forEach(function (n, i) { nodeColor[n] = PALETTE[i % PALETTE.length]; });

  /** Shades each fault window across the plot area (under the data) and labels it with kind and target (over it). */
  function faultBands(faults) {
    function spans(chart) {
      var area = chart.chartArea, x = chart.scales.x;
      return faults.map(function (f) {
        var end = f.healedAt == null ? x.max : f.healedAt;
        return {
          f: f,
          x0: Math.max(area.left, x.getPixelForValue(f.at)),
          x1: Math.min(area.right, x.getPixelForValue(end))
        };
      }).filter(function (s) { return s.x1 > s.x0; });
    }
    return {
      id: 'faultBands',
      beforeDatasetsDraw: function (chart) {
        var ctx = chart.ctx, area = chart.chartArea;
        ctx.save();
        spans(chart).forEach(function (s) {
          ctx.fillStyle = BAND_FILL;
          ctx.fillRect(s.x0, area.top, s.x1 - s.x0, area.bottom - area.top);
          ctx.strokeStyle = BAND_EDGE;
          ctx.setLineDash([4, 3]);
          ctx.beginPath();
          ctx.moveTo(s.x0, area.top);
          ctx.lineTo(s.x0, area.bottom);
          if (s.f.healedAt != null) { ctx.moveTo(s.x1, area.top); ctx.lineTo(s.x1, area.bottom); }
          ctx.stroke();
        });
        ctx.restore();
      },
      afterDatasetsDraw: function (chart) {
        // Labels sit in the padding above the plot (see labelRoom), so they never hide data.
        var ctx = chart.ctx, area = chart.chartArea;
        var shown = spans(chart);
        ctx.save();
        ctx.font = '600 11px ' + Chart.defaults.font.family;
        ctx.textBaseline = 'bottom';
        ctx.fillStyle = BAND_TEXT;
        shown.forEach(function (s, i) {
          var label = s.f.kind + ' ' + s.f.target + (s.f.healedAt == null ? ' (not healed)' : '');
          var w = ctx.measureText(label).width;
          var tx = Math.max(area.left, Math.min(s.x0 + 2, area.right - w));
          ctx.fillText(label, tx, area.top - 3 - (shown.length - 1 - i) * LABEL_H);
        });
        ctx.restore();
      }
    };
  }

  function points(values, bucketS) {
    return values.map(function (v, k) { return { x: (k + 0.5) * bucketS, y: v }; });
  }

  function timeline(canvas, c) {
    var names = Object.keys(c.nodes).sort(byName);
    var buckets = Math.max(c.logouts.length, c.errors.length, 0);
    names.forEach(function (n) { buckets = Math.max(buckets, c.nodes[n].length); });
    var xMax = Math.max(c.durationS || 0, buckets * c.bucketS);
    var lines = names.map(function (n) {
      return {
        type: 'line', label: n + ' req/s', data: points(c.nodes[n], c.bucketS), yAxisID: 'y', order: 1,
        borderColor: nodeColor[n], backgroundColor: nodeColor[n], borderWidth: 2, pointRadius: 0,
        pointHoverRadius: 3
      };
    });
    var bars = [
      { label: 'logouts', data: points(c.logouts, c.bucketS), backgroundColor: LOGOUT },
      { label: 'errors', data: points(c.errors, c.bucketS), backgroundColor: ERROR }
    ].map(function (d) {
      return Object.assign({ type: 'bar', yAxisID: 'y1', order: 2, barPercentage: 1, categoryPercentage: 0.9 }, d);
    });
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: lines.concat(bars) },
      options: {
        responsive: true, maintainAspectRatio: false,
        layout: { padding: { top: c.faults.length * LABEL_H } },
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: xMax, offset: false, grid: { offset: false }, title: { display: true, text: 'seconds since workload start' } },
          y: { beginAtZero: true, title: { display: true, text: 'requests/s' } },
          y1: {
            beginAtZero: true, position: 'right', grid: { drawOnChartArea: false },
            ticks: { precision: 0 }, title: { display: true, text: 'logouts, errors / bucket' }
          }
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              title: function (items) {
                var x = items.length ? items[0].parsed.x : 0;
                return (x - c.bucketS / 2).toFixed(1) + '–' + (x + c.bucketS / 2).toFixed(1) + ' s';
              }
            }
          }
        }
      },
      plugins: [faultBands(c.faults)]
    });
  }

  function requestsByNode(canvas, c) {
    var names = Object.keys(c.requestsByNode).sort(byName);
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: names,
        datasets: [{
          label: 'requests', data: names.map(function (n) { return c.requestsByNode[n]; }),
          backgroundColor: names.map(function (n) { return nodeColor[n]; })
        }]
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } }
      }
    });
  }

  // Charts are drawn as they come near the screen, so a report of many cases opens at once.
  var charts = [];
  var pending = [];
  function draw(id, make, c) {
    var canvas = document.getElementById(id);
    if (canvas) pending.push({ canvas: canvas, make: make, c: c, done: false });
  }
  function paint(p) {
    if (p.done) return;
    p.done = true;
    try {
      charts.push(p.make(p.canvas, p.c));
      p.canvas.setAttribute('data-drawn', 'true');
    } catch (e) { console.error('chart ' + p.canvas.id + ' failed:', e); }
  }
  data.cases.forEach(function (c) {
    draw(c.id + '-timeline', timeline, c);
    draw(c.id + '-nodes', requestsByNode, c);
  });
  var PHASES = [['before', 'before the faults', '#4e79a7'], ['during', 'during a fault', '#e15759'], ['after', 'after the heal', '#59a14f']];
  var LINKS = [['lb', 'load balancer → nodes', '#4e79a7'], ['store', 'nodes → store', '#f28e2b'], ['replication', 'node → node', '#b07aa1']];
  var compareOptions = function (yTitle, stacked) {
    return {
      responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: !!stacked }, y: { stacked: !!stacked, beginAtZero: true, title: { display: true, text: yTitle } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } } }
    };
  };
  var caseName = function (k) { return k.strategy + (k.nodes == null ? '' : ' · ' + k.nodes + ' nodes'); };

  function latencyByPhase(canvas, e) {
    var only = e.cases.every(function (k) { return !k.latency.before && !k.latency.during; });
    var phases = only ? [['after', 'all ops', '#4e79a7']] : PHASES;
    var options = compareOptions('p50 ms');
    options.plugins.tooltip = { callbacks: { afterLabel: function (item) {
      var l = e.cases[item.dataIndex].latency[phases[item.datasetIndex][0]];
      return l ? 'p99 ' + l[1] + ' ms' : '';
    } } };
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: e.cases.map(caseName),
        datasets: phases.map(function (p) {
          return { label: p[1], backgroundColor: p[2], data: e.cases.map(function (k) { return k.latency[p[0]] ? k.latency[p[0]][0] : null; }) };
        })
      },
      options: options
    });
  }

  function bytesPerWrite(canvas, e) {
    var kinds = LINKS.filter(function (l) { return e.cases.some(function (k) { return k.bytesPerWrite[l[0]] != null; }); });
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: e.cases.map(caseName),
        datasets: kinds.map(function (l) {
          return { label: l[1], backgroundColor: l[2], data: e.cases.map(function (k) { return k.bytesPerWrite[l[0]]; }) };
        })
      },
      options: compareOptions('bytes per write', true)
    });
  }

  function memoryPerNode(canvas, e) {
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: e.cases.map(caseName), datasets: [{ label: 'MB per node', backgroundColor: '#76b7b2', data: e.cases.map(function (k) { return k.memoryMb; }) }] },
      options: compareOptions('MB')
    });
  }

  /** One line per strategy against the number of nodes. */
  function bySize(yTitle, value) {
    return function (canvas, e) {
      var strategies = [];
      e.cases.forEach(function (k) { if (strategies.indexOf(k.strategy) < 0) strategies.push(k.strategy); });
      var options = compareOptions(yTitle);
      options.scales.x = { type: 'linear', title: { display: true, text: 'app nodes' }, ticks: { precision: 0 } };
      return new Chart(canvas, {
        type: 'line',
        data: {
          datasets: strategies.map(function (s, i) {
            var color = PALETTE[i % PALETTE.length];
            var data = e.cases.filter(function (k) { return k.strategy === s && value(k) != null; })
              .map(function (k) { return { x: k.nodes, y: value(k) }; })
              .sort(function (a, b) { return a.x - b.x; });
            return { label: s, data: data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 3 };
          })
        },
        options: options
      });
    };
  }
  var totalBytes = function (k) {
    var kinds = Object.keys(k.bytesPerWrite);
    return kinds.length ? kinds.reduce(function (s, n) { return s + k.bytesPerWrite[n]; }, 0) : null;
  };

  (data.experiments || []).forEach(function (e) {
    draw(e.id + '-cmp-latency', latencyByPhase, e);
    draw(e.id + '-cmp-bytes', bytesPerWrite, e);
    draw(e.id + '-cmp-memory', memoryPerNode, e);
    draw(e.id + '-cmp-size-bytes', bySize('bytes per write', totalBytes), e);
    draw(e.id + '-cmp-size-memory', bySize('MB per node', function (k) { return k.memoryMb; }), e);
    draw(e.id + '-cmp-size-latency', bySize('p50 ms', function (k) { return k.latency.after ? k.latency.after[0] : null; }), e);
  });
  if (typeof IntersectionObserver === 'function') {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        seen.unobserve(entry.target);
        pending.forEach(function (p) { if (p.canvas === entry.target) paint(p); });
      });
    }, { rootMargin: '800px 0px' });
    pending.forEach(function (p) { seen.observe(p.canvas); });
  } else pending.forEach(paint);
  var resize = function () { charts.forEach(function (ch) { ch.resize(); }); };
  window.addEventListener('beforeprint', function () { pending.forEach(paint); resize(); });
  window.addEventListener('afterprint', resize);
})();
`;
