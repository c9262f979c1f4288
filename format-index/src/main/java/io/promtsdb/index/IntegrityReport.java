package io.promtsdb.index;

/**
 * What a full integrity pass found in a valid index.
 *
 * @param bytes size of the file
 * @param symbols entries of the symbol table
 * @param series series entries
 * @param chunks chunk metas over all series
 * @param labelIndices legacy label index sections
 * @param postingsLists postings lists (the all-postings list included)
 * @param postingsEntries references over all postings lists
 */
public record IntegrityReport(
    long bytes,
    long symbols,
    long series,
    long chunks,
    long labelIndices,
    long postingsLists,
    long postingsEntries) {}
