import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * How many memories of a Steward memory index wait for their vector (bench/chat-cpu.sh waits for none before it
 * counts the catch-up). Run with the jar on the class path: java -cp steward.jar bench/IndexPending.java INDEX_DIR
 */
public class IndexPending {
    public static void main(String[] args) throws Exception {
        try (var directory = FSDirectory.open(Path.of(args[0])); var reader = DirectoryReader.open(directory)) {
            System.out.println(new IndexSearcher(reader).count(new TermQuery(new Term("pending", "1"))));
        }
    }
}
