package io.promtsdb.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's reports: JUnit XML (one test suite per capability, for CI systems) and one
 * self-contained HTML page (no external resources) with the totals, every failure with its
 * detail, every skip with its reason, and every case.
 */
public final class Reports {
  private Reports() {}

  /** Totals of a run. */
  public record Totals(int passed, int failed, int skipped) {
    public static Totals of(List<CaseResult> results) {
      int p = 0;
      int f = 0;
      int s = 0;
      for (CaseResult r : results) {
        switch (r.outcome()) {
          case PASS -> p++;
          case FAIL -> f++;
          case SKIP -> s++;
        }
      }
      return new Totals(p, f, s);
    }

    @Override
    public String toString() {
      return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
  }

  private static Map<String, List<CaseResult>> byCapability(List<CaseResult> results) {
    Map<String, List<CaseResult>> m = new LinkedHashMap<>();
    for (CaseResult r : results) {
      String group = r.id().startsWith("matrix/") ? "matrix " + r.id().split("/")[1] : r.capability();
      m.computeIfAbsent(group, k -> new ArrayList<>()).add(r);
    }
    return m;
  }

  /** Writes {@code TEST-conformance-<implementation>.xml}. */
  public static Path writeJUnitXml(Path dir, String implementation, List<CaseResult> results) throws IOException {
    Files.createDirectories(dir);
    StringBuilder b = new StringBuilder();
    Totals t = Totals.of(results);
    long ms = results.stream().mapToLong(CaseResult::millis).sum();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append("<testsuites name=\"conformance ").append(xml(implementation)).append("\" tests=\"").append(results.size())
        .append("\" failures=\"").append(t.failed()).append("\" skipped=\"").append(t.skipped())
        .append("\" time=\"").append(seconds(ms)).append("\">\n");
    for (Map.Entry<String, List<CaseResult>> e : byCapability(results).entrySet()) {
      Totals st = Totals.of(e.getValue());
      b.append("  <testsuite name=\"").append(xml(e.getKey())).append("\" tests=\"").append(e.getValue().size())
          .append("\" failures=\"").append(st.failed()).append("\" errors=\"0\" skipped=\"").append(st.skipped())
          .append("\" time=\"").append(seconds(e.getValue().stream().mapToLong(CaseResult::millis).sum()))
          .append("\" timestamp=\"").append(Instant.now()).append("\">\n");
      for (CaseResult r : e.getValue()) {
        b.append("    <testcase classname=\"conformance.").append(xml(e.getKey().replace(' ', '.')))
            .append("\" name=\"").append(xml(r.id() + " [" + r.level() + "] " + r.implementation()))
            .append("\" time=\"").append(seconds(r.millis())).append("\"");
        if (r.passed()) {
          b.append("/>\n");
          continue;
        }
        b.append(">\n");
        if (r.failed()) {
          b.append("      <failure message=\"").append(xml(r.message())).append("\" type=\"").append(r.level())
              .append("\">").append(xml(r.message() + (r.detail().isEmpty() ? "" : "\n" + r.detail()))).append("</failure>\n");
        } else {
          b.append("      <skipped message=\"").append(xml(r.message())).append("\"/>\n");
        }
        b.append("    </testcase>\n");
      }
      b.append("  </testsuite>\n");
    }
    b.append("</testsuites>\n");
    Path f = dir.resolve("TEST-conformance-" + implementation.replaceAll("[^A-Za-z0-9._-]", "_") + ".xml");
    Files.writeString(f, b, StandardCharsets.UTF_8);
    return f;
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
  }

  static String xml(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            b.append("\\u").append(String.format("%04x", (int) c));
          } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
              && Character.isHighSurrogate(s.charAt(i - 1)))) {
            b.append('?');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Writes {@code report.html}. */
  public static Path writeHtml(Path dir, Description impl, List<CaseResult> results, String note) throws IOException {
    Files.createDirectories(dir);
    Totals t = Totals.of(results);
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Conformance: ")
        .append(xml(impl.name())).append("</title>\n<style>\n")
        .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.6em}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}")
        .append("th{background:#f2f2f2}.PASS{color:#176d2c}.FAIL{color:#b00020;font-weight:bold}.SKIP{color:#8a6d00}")
        .append("pre{white-space:pre-wrap;background:#f7f7f7;padding:6px;margin:4px 0;font-size:12px}")
        .append(".num{text-align:right}#filter{margin:0.5em 0}.hidden{display:none}small{color:#666}")
        .append("\n</style></head><body>\n");
    b.append("<h1>Conformance report: ").append(xml(impl.name())).append(" ").append(xml(impl.version())).append("</h1>\n");
    b.append("<p>Targets: ").append(xml(String.join(", ", impl.targets()))).append(". Capabilities: ")
        .append(xml(impl.capabilities().stream().map(Capability::wireName).sorted().reduce((a, c) -> a + ", " + c).orElse("none")))
        .append(".<br>").append(Instant.now()).append(". ").append(xml(note)).append("</p>\n");
    b.append("<p><b>").append(t).append("</b>");
    long mustFailed = results.stream().filter(r -> r.failed() && r.level() == Level.MUST).count();
    b.append(mustFailed == 0 ? " &mdash; every applicable MUST case passes." : " &mdash; <span class=FAIL>" + mustFailed + " MUST case(s) fail.</span>");
    b.append("</p>\n<table><tr><th>group</th><th>passed</th><th>failed</th><th>skipped</th><th>MUST failed</th></tr>\n");
    for (Map.Entry<String, List<CaseResult>> e : byCapability(results).entrySet()) {
      Totals st = Totals.of(e.getValue());
      long mf = e.getValue().stream().filter(r -> r.failed() && r.level() == Level.MUST).count();
      b.append("<tr><td>").append(xml(e.getKey())).append("</td><td class=num>").append(st.passed())
          .append("</td><td class=\"num").append(st.failed() > 0 ? " FAIL" : "").append("\">").append(st.failed())
          .append("</td><td class=num>").append(st.skipped()).append("</td><td class=num>").append(mf).append("</td></tr>\n");
    }
    b.append("</table>\n");
    section(b, "Failures", results, CaseResult.Outcome.FAIL, true);
    section(b, "Skipped", results, CaseResult.Outcome.SKIP, false);
    b.append("<h2>All cases</h2>\n<input id=filter placeholder=\"filter by id, outcome or level\" size=50 "
        + "oninput=\"for(const r of document.querySelectorAll('#all tr.c'))r.classList.toggle('hidden',!r.textContent.toLowerCase().includes(this.value.toLowerCase()))\">\n");
    b.append("<table id=all><tr><th>case</th><th>level</th><th>outcome</th><th>ms</th><th>message</th></tr>\n");
    for (CaseResult r : results) {
      b.append("<tr class=c><td>").append(xml(r.id())).append(r.description().isEmpty() ? "" : "<br><small>" + xml(r.description()) + "</small>")
          .append("</td><td>").append(r.level()).append("</td><td class=").append(r.outcome()).append(">").append(r.outcome())
          .append("</td><td class=num>").append(r.millis()).append("</td><td>").append(xml(r.message())).append("</td></tr>\n");
    }
    b.append("</table>\n</body></html>\n");
    Path f = dir.resolve("report.html");
    Files.writeString(f, b, StandardCharsets.UTF_8);
    return f;
  }

  private static void section(StringBuilder b, String title, List<CaseResult> results, CaseResult.Outcome o, boolean details) {
    List<CaseResult> rs = results.stream().filter(r -> r.outcome() == o).toList();
    b.append("<h2>").append(title).append(" (").append(rs.size()).append(")</h2>\n");
    if (rs.isEmpty()) {
      b.append("<p>None.</p>\n");
      return;
    }
    b.append("<table><tr><th>case</th><th>level</th><th>").append(details ? "what went wrong" : "reason").append("</th></tr>\n");
    for (CaseResult r : rs) {
      b.append("<tr><td>").append(xml(r.id())).append("<br><small>").append(xml(r.implementation())).append("</small></td><td>")
          .append(r.level()).append("</td><td>").append(xml(r.message()));
      if (details && !r.description().isEmpty()) {
        b.append("<br><small>").append(xml(r.description())).append("</small>");
      }
      if (details && !r.detail().isEmpty()) {
        b.append("<details><summary>detail</summary><pre>").append(xml(r.detail())).append("</pre></details>");
      }
      b.append("</td></tr>\n");
    }
    b.append("</table>\n");
  }
}
