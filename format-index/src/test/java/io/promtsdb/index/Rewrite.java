package io.promtsdb.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/** Re-writes an index from what a reader decodes of it. */
final class Rewrite {
  private Rewrite() {}

  static void copy(IndexReader r, Path to, IndexWriter.Options options) throws IOException {
    try (IndexWriter w = IndexWriter.create(to, options)) {
      for (Iterator<String> it = r.symbols(); it.hasNext(); ) {
        w.addSymbol(it.next());
      }
      Postings all = r.allPostings();
      ChunkMetaList chunks = new ChunkMetaList();
      for (long ref = all.next(); ref != Postings.END; ref = all.next()) {
        long written = w.addSeries(r.series(ref, chunks), chunks);
        if (written != ref) {
          throw new AssertionError("series " + ref + " written as " + written);
        }
      }
    }
  }
}
