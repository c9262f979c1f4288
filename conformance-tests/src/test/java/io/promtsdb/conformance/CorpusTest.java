package io.promtsdb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The corpus is well formed: every case parses, refers to files that exist, and expected JSON is canonical. */
class CorpusTest {
  private final Corpus corpus = Corpus.load();

  @Test
  void everyCaseIsCompleteAndItsFilesExist() {
    assertThat(corpus.cases()).hasSizeGreaterThan(800);
    Set<String> ids = new HashSet<>();
    for (ConformanceCase c : corpus.cases()) {
      assertThat(ids.add(c.id())).as("unique id %s", c.id()).isTrue();
      assertThat(c.capability()).as(c.id()).isNotNull();
      assertThat(c.id()).startsWith(c.capabilityName() + "/");
      assertThat(c.description()).as(c.id()).isNotBlank();
      assertThat(c.source()).as(c.id()).isNotBlank();
      assertThat(c.prometheus().constraints()).as(c.id()).isNotEmpty();
      assertThat(c.expect().size()).as(c.id()).isPositive();
      List<String> refs = new ArrayList<>();
      collect(c.request(), refs);
      collect(c.expect(), refs);
      for (String ref : refs) {
        assertThat(corpus.resolve(c, ref)).as("%s refers to %s", c.id(), ref).exists();
      }
      if (c.negative()) {
        assertThat(ErrorKind.forName(c.expect().get("error").path("kind").asText())).as(c.id()).isNotNull();
      }
    }
  }

  private static void collect(JsonNode n, List<String> refs) {
    if (n.isObject()) {
      for (String k : new String[] {"$file", "$include", "output_file", "dump_text"}) {
        if (n.has(k) && n.get(k).isTextual()) {
          refs.add(n.get(k).asText());
        }
      }
      for (String k : new String[] {"output_bytes", "output_tree"}) {
        if (n.has(k)) {
          n.get(k).forEach(v -> refs.add(v.asText()));
        }
      }
    }
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      collect(it.next(), refs);
    }
  }

  @Test
  void everyLevelAndCapabilityIsCovered() {
    for (Capability c : Capability.values()) {
      assertThat(corpus.cases(x -> x.capability() == c && x.level() == Level.MUST)).as(c.wireName()).isNotEmpty();
    }
    assertThat(corpus.cases(ConformanceCase::negative)).hasSizeGreaterThan(40);
  }

  /** Expected outputs are stored in the canonical serialization, so their digests are stable. */
  @Test
  void expectedJsonFilesAreCanonical() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus.root().resolve("data"))) {
      files = s.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".json.gz")).toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    for (Path f : files) {
      String text = new String(Json.readMaybeGzip(f), StandardCharsets.UTF_8).strip();
      assertThat(Json.canonical(Json.parse(text))).as(f.toString()).isEqualTo(text);
    }
  }
}
