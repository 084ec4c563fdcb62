package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntentClassifierTest {
    private final IntentClassifier classifier = new IntentClassifier();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            hello                                                           | CONVERSATION
            Good morning                                                    | CONVERSATION
            thanks a lot                                                    | CONVERSATION
            remember that my VAT number is GB123                            | MEMORY
            what do you know about Acme?                                    | MEMORY
            what can you do?                                                | QUESTION
            Is the shop open on Sunday                                      | QUESTION
            hi, can you draft a contract for my new client please?         | QUESTION
            status                                                          | SIMPLE_ACTION
            rename the file notes.txt to todo.txt                           | SIMPLE_ACTION
            research our three main competitors and build a pricing report  | COMPLEX_TASK
            """)
    void classifies(String text, Intent expected) {
        assertThat(classifier.classify(text)).isEqualTo(expected);
    }
}
