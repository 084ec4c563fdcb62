package dev.steward.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void randomIdsAreShortAndReadable() {
        assertThat(Ids.next()).hasSize(Ids.LENGTH).matches("[0-9a-hjkmnp-tv-z]+");
    }

    @Test
    void orderedIdsSortByCreationAndNeverRepeat() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(Ids.ordered());
        }
        Thread.sleep(2);
        ids.add(Ids.ordered());
        assertThat(ids).allSatisfy(id -> assertThat(id).hasSize(Ids.ORDERED_LENGTH).matches("[0-9a-hjkmnp-tv-z]+"));
        assertThat(ids).isSorted();
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
    }

    @Test
    void orderedIdsStartWithTheTime() {
        String before = Ids.ordered();
        long millis = System.currentTimeMillis();
        String after = Ids.ordered();
        long decoded = 0;
        for (char c : after.substring(0, 9).toCharArray()) {
            decoded = decoded * 32 + "0123456789abcdefghjkmnpqrstvwxyz".indexOf(c);
        }
        assertThat(decoded).isBetween(millis - 1000, millis + 1000);
        assertThat(after).isGreaterThan(before);
    }
}
