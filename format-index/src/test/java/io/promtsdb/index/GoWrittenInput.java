package io.promtsdb.index;

import io.promtsdb.core.Labels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The input of the Go-written golden indexes (see go-written/README.md). */
record GoWrittenInput(List<String> symbols, List<IndexSeries> series) {

  static final String DIR = "/go-written/unicode-1000/";

  static InputStream resource(String name) {
    String path = name.startsWith("/") ? name : DIR + name;
    InputStream in = GoWrittenInput.class.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + path);
    }
    return in;
  }

  static byte[] bytes(String name) {
    try (InputStream in = resource(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GoWrittenInput load() {
    return load("input.txt");
  }

  static GoWrittenInput load(String resourceName) {
    List<String> symbols = new ArrayList<>();
    List<IndexSeries> series = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(resource(resourceName), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(" ", -1);
        switch (f[0]) {
          case "symbol" -> symbols.add(
              new String(HexFormat.of().parseHex(f[1]), StandardCharsets.UTF_8));
          case "series" -> {
            List<String> pairs = new ArrayList<>();
            for (String p : f[1].split(",")) {
              String[] nv = p.split("=");
              pairs.add(symbols.get(Integer.parseInt(nv[0])));
              pairs.add(symbols.get(Integer.parseInt(nv[1])));
            }
            List<ChunkMeta> chunks = new ArrayList<>();
            if (f.length > 2 && !f[2].isEmpty()) {
              for (String c : f[2].split(";")) {
                String[] x = c.split(":");
                chunks.add(
                    new ChunkMeta(
                        Long.parseUnsignedLong(x[0]), Long.parseLong(x[1]), Long.parseLong(x[2])));
              }
            }
            series.add(new IndexSeries(-1, Labels.of(pairs.toArray(new String[0])), chunks));
          }
          default -> throw new IllegalStateException("bad line " + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new GoWrittenInput(symbols, series);
  }
}
