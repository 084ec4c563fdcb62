package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.memory.Embedder;
import dev.steward.router.CallContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lexical model alone, on sentences that are not among its examples. */
class IntentClassifierTest {
    private final IntentClassifier classifier = IntentClassifier.lexical();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            hello                                                                   | CONVERSATION
            thanks a lot, you're great                                              | CONVERSATION
            remember that my VAT number is GB123                                    | MEMORY
            what do you know about Acme?                                            | MEMORY
            how does a line of credit work?                                         | QUESTION
            rename the file notes.txt to todo.txt                                   | SIMPLE_ACTION
            research our three main competitors and write a pricing report          | COMPLEX_TASK
            make it a bit shorter please                                            | CLARIFICATION
            """)
    void classifiesSentencesItWasNotShown(String text, Intent expected) {
        assertThat(classifier.classify(text, List.of(), CallContext.of("ann"))).isEqualTo(expected);
    }

    @Test
    void isSureOfAGreetingWithoutEmbeddingIt() {
        OfflineIntents offline = OfflineIntents.withEmbedder(new Embedder() {
            @Override
            public int dimension() {
                return 384;
            }

            @Override
            public float[] embed(String text) {
                throw new AssertionError("a greeting must not need the embedding model");
            }
        });
        assertThat(offline.decide("hello").intent()).isEqualTo(Intent.CONVERSATION);
        assertThat(offline.decide("hello").embedded()).isFalse();
    }
}
