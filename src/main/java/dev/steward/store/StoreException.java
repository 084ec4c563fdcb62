package dev.steward.store;

/** The database cannot do what was asked; the message says why and {@link #fix()} what the user can do. */
public final class StoreException extends RuntimeException {
    private final String fix;

    public StoreException(String message, String fix, Throwable cause) {
        super(message, cause);
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }
}
