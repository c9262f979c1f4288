package io.promtsdb.conformance;

import io.promtsdb.index.IndexSeries;
import java.util.List;

/**
 * The content of a block index.
 *
 * @param version the format version byte (1 or 2)
 * @param symbols the symbol table in file order
 * @param series every series entry in file order, with its reference (v2: offset / 16; v1:
 *     offset) and chunk metas
 * @param postings every postings list of the postings offset table, the all-postings list
 *     {@code ("", "")} included, sorted by name then value (byte order)
 */
public record IndexContent(int version, List<String> symbols, List<IndexSeries> series, List<PostingsList> postings) {
  public IndexContent {
    symbols = List.copyOf(symbols);
    series = List.copyOf(series);
    postings = List.copyOf(postings);
  }

  /** One postings list: the series references carrying {@code name="value"}, ascending. */
  public record PostingsList(String name, String value, List<Long> refs) {
    public PostingsList {
      refs = List.copyOf(refs);
    }
  }
}
