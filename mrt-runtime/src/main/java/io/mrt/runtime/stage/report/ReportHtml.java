package io.mrt.runtime.stage.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link QualityReport} as one self-contained HTML page: the chart library (ECharts,
 * from its WebJar) and the data are inlined, so the page needs no network when it is opened. The
 * page has a sortable table of every node, SQNR along the graph, and magnitude histograms of the
 * worst nodes with their thresholds marked; charts are drawn as SVG.
 */
public final class ReportHtml {
  /** The ECharts build inside the WebJar. */
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  /** How many of the worst nodes get a histogram. */
  public static final int WORST = 6;

  private ReportHtml() {}

  /** The page for {@code report}; {@code json} is the same report as JSON. */
  public static String render(QualityReport report, ObjectMapper json) {
    String data;
    try {
      data = json.writeValueAsString(report).replace("</", "<\\/");
    } catch (JsonProcessingException ex) {
      throw new MrtException("report: cannot serialise the report: " + ex.getOriginalMessage(), ex);
    }
    Map<String, String> values = Map.of("TITLE", escape(report.model()), "ECHARTS", echarts(),
        "WORST", Integer.toString(WORST), "DATA", data);
    Matcher m = PLACEHOLDER.matcher(PAGE);
    StringBuilder out = new StringBuilder(PAGE.length() + data.length() + 1_100_000);
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Placeholders of the page, filled in one pass (a value never has its own text replaced). */
  private static final Pattern PLACEHOLDER = Pattern.compile("@(TITLE|ECHARTS|WORST|DATA)@");

  private static String echarts() {
    try (InputStream in = ReportHtml.class.getClassLoader().getResourceAsStream(ECHARTS)) {
      if (in == null) {
        throw new MrtException("report: the chart library " + ECHARTS + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
    } catch (IOException ex) {
      throw new MrtException("report: cannot read " + ECHARTS + ": " + ex.getMessage(), ex);
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static final String PAGE = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>Quantization report: @TITLE@</title>
      <style>
      body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
      h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
      table { border-collapse: collapse; font-size: 0.85em; }
      th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
      th { background: #f0f0f0; cursor: pointer; position: sticky; top: 0; }
      td.t { text-align: left; }
      tr.bad td { background: #fde8e8; }
      .chart { width: 100%; height: 320px; }
      .hists { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
      .hist { height: 260px; }
      #errors { color: #b00; white-space: pre-wrap; }
      .note { color: #555; font-size: 0.9em; max-width: 60em; }
      </style>
      <script>
      window.reportErrors = [];
      window.onerror = function (msg, src, line) {
        window.reportErrors.push(msg + ' (' + line + ')');
        var e = document.getElementById('errors');
        if (e) { e.textContent = window.reportErrors.join('\\n'); }
      };
      </script>
      <script>@ECHARTS@</script>
      <script type="application/json" id="report-data">@DATA@</script>
      </head>
      <body>
      <h1>Quantization report: <span id="model"></span></h1>
      <div id="errors"></div>
      <p id="summary"></p>
      <p class="note">Each row compares a node of the float graph with the node of the quantized graph that stands
      for it, dequantized (integer / scale). SQNR = 10 log10(sum f^2 / sum (f - q)^2). The local SQNR runs the
      node's own integer subgraph on its float inputs quantized at their scales (first batch), so it shows the
      error the node adds by itself; a node whose SQNR is far below its local SQNR inherits its error.
      Clipped: the share of float values beyond the threshold. Click a column to sort.</p>
      <h2>Evaluation</h2>
      <div id="evaluation"></div>
      <h2>SQNR along the graph</h2>
      <div id="sqnr" class="chart"></div>
      <h2>Float magnitudes of the worst nodes (threshold marked)</h2>
      <div id="hists" class="hists"></div>
      <h2>Nodes</h2>
      <table id="nodes"><thead><tr>
      <th data-k="index">#</th><th data-k="name">node</th><th data-k="op">op</th><th data-k="shape">shape</th>
      <th data-k="threshold">threshold</th><th data-k="scale">scale</th><th data-k="precision">bits</th>
      <th data-k="sqnrDb">SQNR dB</th><th data-k="localSqnrDb">local SQNR dB</th><th data-k="cosine">cosine</th>
      <th data-k="clipped">clipped %</th></tr></thead><tbody></tbody></table>
      <script>
      (function () {
        var r = JSON.parse(document.getElementById('report-data').textContent);
        var WORST = @WORST@;
        document.getElementById('model').textContent = r.model;
        document.getElementById('summary').textContent = r.images + ' images in ' + r.batches
            + ' batches; ' + r.nodes.length + ' nodes. ' + r.exactness;
        var ev = document.getElementById('evaluation');
        if (r.evaluation && r.evaluation.line) {
          ev.textContent = r.evaluation.line;
        } else {
          ev.textContent = 'The evaluate stage has not run for this model yet.';
        }
        function fmt(v, d) {
          if (v === null || v === undefined) { return '\\u2013'; }
          if (typeof v === 'number') { return Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(d); }
          return String(v);
        }
        var sorted = r.nodes.filter(function (n) { return n.sqnrDb !== null; })
            .sort(function (a, b) { return a.sqnrDb - b.sqnrDb; });
        var worst = {};
        sorted.slice(0, WORST).forEach(function (n) { worst[n.name] = true; });
        var body = document.querySelector('#nodes tbody');
        function rowsOf(list) {
          body.innerHTML = '';
          list.forEach(function (n) {
            var tr = document.createElement('tr');
            if (worst[n.name]) { tr.className = 'bad'; }
            var cells = [n.index, n.name, n.op, '(' + n.shape.join(', ') + ')', fmt(n.threshold, 4),
              fmt(n.scale, 3), n.precision, fmt(n.sqnrDb, 2), fmt(n.localSqnrDb, 2), fmt(n.cosine, 5),
              fmt(100 * n.clipped, 3)];
            cells.forEach(function (c, i) {
              var td = document.createElement('td');
              if (i >= 1 && i <= 3) { td.className = 't'; }
              td.textContent = c;
              tr.appendChild(td);
            });
            body.appendChild(tr);
          });
        }
        rowsOf(r.nodes);
        var order = {};
        document.querySelectorAll('#nodes th').forEach(function (th) {
          th.addEventListener('click', function () {
            var k = th.dataset.k;
            order[k] = !order[k];
            var dir = order[k] ? 1 : -1;
            var list = r.nodes.slice().sort(function (a, b) {
              var x = a[k], y = b[k];
              if (x === null) { return 1; }
              if (y === null) { return -1; }
              if (Array.isArray(x)) { x = x.reduce(function (p, q) { return p * q; }, 1); y = y.reduce(function (p, q) { return p * q; }, 1); }
              return (x < y ? -1 : x > y ? 1 : 0) * dir;
            });
            rowsOf(list);
          });
        });
        var chart = echarts.init(document.getElementById('sqnr'), null, { renderer: 'svg' });
        chart.setOption({
          animation: false,
          tooltip: { trigger: 'axis' },
          legend: { data: ['SQNR', 'local SQNR'] },
          xAxis: { type: 'category', name: 'node', data: r.nodes.map(function (n) { return n.index + ' ' + n.name; }),
            axisLabel: { show: false } },
          yAxis: { type: 'value', name: 'dB' },
          series: [
            { name: 'SQNR', type: 'line', data: r.nodes.map(function (n) { return n.sqnrDb; }), connectNulls: true },
            { name: 'local SQNR', type: 'line', data: r.nodes.map(function (n) { return n.localSqnrDb; }), connectNulls: true }
          ]
        });
        var hists = document.getElementById('hists');
        sorted.slice(0, WORST).forEach(function (n) {
          var div = document.createElement('div');
          div.className = 'hist';
          hists.appendChild(div);
          var bins = n.histogram.counts.length;
          var w = n.histogram.max / bins;
          var c = echarts.init(div, null, { renderer: 'svg' });
          c.setOption({
            animation: false,
            title: { text: n.name + ' (' + n.op + ', SQNR ' + fmt(n.sqnrDb, 1) + ' dB)', textStyle: { fontSize: 12 } },
            tooltip: {},
            xAxis: { type: 'value', name: '|x|', min: 0, max: n.histogram.max },
            yAxis: { type: 'log', name: 'count', min: 1 },
            series: [{
              type: 'bar', barWidth: '90%',
              data: n.histogram.counts.map(function (v, i) { return [(i + 0.5) * w, Math.max(v, 1)]; }),
              markLine: { symbol: 'none', label: { formatter: 'threshold ' + fmt(n.threshold, 3) },
                lineStyle: { color: '#c00' }, data: [{ xAxis: n.threshold }] }
            }]
          });
        });
        document.body.dataset.rendered = String(1 + Math.min(WORST, sorted.length));
      })();
      </script>
      </body>
      </html>
      """;
}
