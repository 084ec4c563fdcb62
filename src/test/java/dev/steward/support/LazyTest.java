package dev.steward.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {
    @Test
    void makesTheValueOnFirstUseAndOnlyOnce() {
        AtomicInteger made = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> "value " + made.incrementAndGet());

        assertThat(lazy.isMade()).isFalse();
        assertThat(lazy.get()).isEqualTo("value 1");
        assertThat(lazy.get()).isEqualTo("value 1");
        assertThat(lazy.isMade()).isTrue();
        assertThat(made).hasValue(1);
    }

    @Test
    void ifMadeNeverMakesTheValue() {
        AtomicInteger made = new AtomicInteger();
        Lazy<Integer> lazy = Lazy.of(made::incrementAndGet);
        List<Integer> seen = new ArrayList<>();

        lazy.ifMade(seen::add);
        assertThat(seen).isEmpty();
        assertThat(made).hasValue(0);

        lazy.get();
        lazy.ifMade(seen::add);
        assertThat(seen).containsExactly(1);
    }

    @Test
    void threadsThatAskTogetherShareOneValue() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        Lazy<Integer> lazy = Lazy.of(made::incrementAndGet);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                lazy.get();
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(made).hasValue(1);
    }
}
