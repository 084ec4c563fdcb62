package dev.steward.support;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value made on first use, once, whichever thread asks first. Unlike a memoizing supplier it can tell whether
 * the value was ever made, so that closing a part does not build it just to close it.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> maker;
    private volatile T value;

    private Lazy(Supplier<? extends T> maker) {
        this.maker = maker;
    }

    public static <T> Lazy<T> of(Supplier<? extends T> maker) {
        return new Lazy<>(Objects.requireNonNull(maker, "maker"));
    }

    @Override
    public T get() {
        T made = value;
        if (made == null) {
            synchronized (this) {
                made = value;
                if (made == null) {
                    made = Objects.requireNonNull(maker.get(), "a lazy value was made as null");
                    value = made;
                }
            }
        }
        return made;
    }

    public boolean isMade() {
        return value != null;
    }

    /** Hands the value to {@code action} if it was made; never makes it. */
    public void ifMade(Consumer<? super T> action) {
        T made = value;
        if (made != null) {
            action.accept(made);
        }
    }
}
