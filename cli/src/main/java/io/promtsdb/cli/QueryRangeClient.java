package io.promtsdb.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.GoFloat;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/query_range} of a Prometheus server, as promtool's client ({@code
 * client_golang/api/prometheus/v1}) calls it: a form POST ({@code end}, {@code query}, {@code
 * start}, {@code step}, times as Go's {@code FormatFloat(seconds, 'f', -1)}), a GET if the
 * server answers 405 or 501, and errors in the client's words ({@code bad_data: ...}, {@code
 * client error: 404}, {@code Post "URL": dial tcp HOST: connect: connection refused}).
 */
final class QueryRangeClient implements RuleBackfill.QueryRange {
  /** Go's {@code math.NaN()}, what {@code strconv.ParseFloat("NaN")} returns. */
  private static final double GO_NAN = Double.longBitsToDouble(0x7FF8000000000001L);

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  QueryRangeClient(URI server) {
    String path = server.getPath() == null ? "" : server.getPath();
    // Go's path.Join(endpoint.Path, "/api/v1/query_range").
    String joined = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/api/v1/query_range";
    this.endpoint = server.resolve(joined);
  }

  @Override
  public Result query(String expr, long startNanos, long endNanos, long stepNanos) throws RuleBackfill.QueryException {
    String form = "end=" + enc(formatSeconds(endNanos))
        + "&query=" + enc(expr)
        + "&start=" + enc(formatSeconds(startNanos))
        + "&step=" + enc(formatSeconds(stepNanos));
    HttpRequest post = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    HttpResponse<byte[]> resp = send(post, "Post");
    if (resp.statusCode() == 405 || resp.statusCode() == 501) {
      resp = send(HttpRequest.newBuilder(URI.create(endpoint + "?" + form)).GET().build(), "Get");
    }
    return decode(resp);
  }

  private HttpResponse<byte[]> send(HttpRequest req, String method) throws RuleBackfill.QueryException {
    String prefix = method + " " + io.promtsdb.core.GoQuote.quote(req.uri().toString()) + ": ";
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      int port = req.uri().getPort() >= 0 ? req.uri().getPort() : "https".equals(req.uri().getScheme()) ? 443 : 80;
      throw new RuleBackfill.QueryException(prefix + "dial tcp " + req.uri().getHost() + ":" + port + ": connect: connection refused");
    } catch (IOException e) {
      throw new RuleBackfill.QueryException(prefix + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuleBackfill.QueryException(prefix + "context canceled");
    }
  }

  /** The client's {@code Do}: status and body to a matrix or its error. */
  static Result decode(HttpResponse<byte[]> resp) throws RuleBackfill.QueryException {
    int code = resp.statusCode();
    boolean apiError = code == 400 || code == 422;
    if (code / 100 != 2 && !apiError) {
      String type = code / 100 == 4 ? "client_error" : code / 100 == 5 ? "server_error" : "bad_response";
      String msg = code / 100 == 4 ? "client error: " + code : code / 100 == 5 ? "server error: " + code : "bad response code " + code;
      throw new RuleBackfill.QueryException(type + ": " + msg);
    }
    JsonNode root;
    try {
      root = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new RuleBackfill.QueryException("bad_response: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new RuleBackfill.QueryException("bad_response: unexpected JSON");
    }
    String status = root.path("status").asText("");
    if (apiError && status.equals("success")) {
      throw new RuleBackfill.QueryException("bad_response: inconsistent body for response code");
    }
    if (status.equals("error")) {
      throw new RuleBackfill.QueryException(root.path("errorType").asText("") + ": " + root.path("error").asText(""));
    }
    List<String> warnings = new ArrayList<>();
    for (JsonNode w : root.path("warnings")) {
      warnings.add(w.asText());
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText("");
    if (!type.equals("matrix")) {
      return new Result(type, List.of(), warnings);
    }
    List<Series> series = new ArrayList<>();
    for (JsonNode s : data.path("result")) {
      Map<String, String> metric = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("metric").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        metric.put(e.getKey(), e.getValue().asText());
      }
      JsonNode values = s.path("values");
      long[] t = new long[values.size()];
      double[] v = new double[values.size()];
      for (int i = 0; i < values.size(); i++) {
        t[i] = millis(values.get(i).get(0));
        v[i] = sampleValue(values.get(i).get(1).asText());
      }
      series.add(new Series(metric, t, v));
    }
    return new Result(type, series, warnings);
  }

  /** {@code model.Time.UnmarshalJSON}: seconds with up to three decimals kept, more cut off. */
  static long millis(JsonNode n) {
    BigDecimal d = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText());
    return d.movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact();
  }

  /** {@code strconv.ParseFloat} of a sample value string (NaN with Go's bits). */
  static double sampleValue(String s) {
    return switch (s) {
      case "NaN" -> GO_NAN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  /** Go's {@code FormatFloat(float64(sec) + float64(nsec)/1e9, 'f', -1, 64)} of a time or step. */
  static String formatSeconds(long nanos) {
    long sec = Math.floorDiv(nanos, 1_000_000_000L);
    long ns = Math.floorMod(nanos, 1_000_000_000L);
    double d = (double) sec + (double) ns / 1e9;
    // GoFloat.formatG gives the shortest digits that read back as d; plain notation as 'f'.
    return new BigDecimal(GoFloat.formatG(d)).toPlainString();
  }

  private static String enc(String s) {
    // Go's url.QueryEscape: spaces as '+', as URLEncoder.
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** One series of a matrix. */
  record Series(Map<String, String> metric, long[] timestamps, double[] values) {}

  /** A query's result: its type, a matrix's series, the server's warnings. */
  record Result(String type, List<Series> series, List<String> warnings) {}
}
