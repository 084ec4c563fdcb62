package dev.steward.memory;

import java.io.IOException;
import java.util.function.Supplier;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;

/**
 * The index's searchers: while this process holds a writer ({@link HeldWriter}), near-real-time readers of it, which
 * see its uncommitted changes; otherwise readers of the newest commit, which see every process's committed changes.
 * Lucene's SearcherManager follows one or the other for its whole life; a server's writer comes and goes.
 */
final class IndexReaders extends ReferenceManager<IndexSearcher> {
    private final Directory directory;
    private final Supplier<IndexWriter> writer;
    /** The reader last opened from a writer: once that writer is closed it can only be replaced by a fresh open. */
    private volatile DirectoryReader fromWriter;

    /** @param writer the writer to follow now, or null for the commits */
    IndexReaders(DirectoryReader first, Directory directory, Supplier<IndexWriter> writer) {
        this.directory = directory;
        this.writer = writer;
        this.current = new IndexSearcher(first);
    }

    @Override
    protected IndexSearcher refreshIfNeeded(IndexSearcher old) throws IOException {
        DirectoryReader reader = (DirectoryReader) old.getIndexReader();
        DirectoryReader next;
        for (int attempt = 1; ; attempt++) {
            IndexWriter w = writer.get();
            try {
                if (w != null) {
                    next = DirectoryReader.openIfChanged(reader, w);
                    if (next != null) {
                        fromWriter = next;
                    }
                } else if (reader == fromWriter) {
                    next = DirectoryReader.open(directory);
                    fromWriter = null;
                } else {
                    next = DirectoryReader.openIfChanged(reader);
                }
                break;
            } catch (AlreadyClosedException closedMeanwhile) {
                if (attempt == 3) {
                    throw closedMeanwhile; // not the committer's doing: the writer failed
                }
                // the writer was committed and closed under us: look again
            }
        }
        return next == null ? null : new IndexSearcher(next);
    }

    @Override
    protected void decRef(IndexSearcher searcher) throws IOException {
        searcher.getIndexReader().decRef();
    }

    @Override
    protected boolean tryIncRef(IndexSearcher searcher) {
        return searcher.getIndexReader().tryIncRef();
    }

    @Override
    protected int getRefCount(IndexSearcher searcher) {
        IndexReader reader = searcher.getIndexReader();
        return reader.getRefCount();
    }
}
