package dev.steward.config.secrets;

/** The secret store cannot do what was asked; the message says what is wrong and how to fix it. */
public final class SecretStoreException extends RuntimeException {
    private final String fix;

    public SecretStoreException(String problem, String fix) {
        super(problem + (fix == null ? "" : " — " + fix));
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }
}
