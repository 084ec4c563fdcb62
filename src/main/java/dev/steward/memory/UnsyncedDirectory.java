package dev.steward.memory;

import java.util.Collection;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;

/**
 * The index never asks the disk to sync. It is derived data: everything in it is rebuilt from the database
 * (which does sync) when it is missing or damaged, and a sync per commit cost half of a chat's time.
 */
final class UnsyncedDirectory extends FilterDirectory {
    UnsyncedDirectory(Directory delegate) {
        super(delegate);
    }

    @Override
    public void sync(Collection<String> names) {
        // Left to the operating system's own write-back; see the class comment.
    }

    @Override
    public void syncMetaData() {
        // As above.
    }
}
