package dev.steward.config;

import java.nio.file.Path;

/**
 * A mistake in the user's configuration. The message names where (file and line, or environment variable), the
 * key, what is wrong and how to fix it, in one line: it is shown to users as it is.
 */
public final class ConfigException extends RuntimeException {
    private final String where;
    private final String key;
    private final String fix;

    public ConfigException(String where, String key, String problem, String fix) {
        super(format(where, key, problem, fix));
        this.where = where;
        this.key = key;
        this.fix = fix;
    }

    static ConfigException inFile(Path file, int line, String key, String problem, String fix) {
        return new ConfigException(line > 0 ? file + ":" + line : file.toString(), key, problem, fix);
    }

    public String where() {
        return where;
    }

    public String key() {
        return key;
    }

    public String fix() {
        return fix;
    }

    private static String format(String where, String key, String problem, String fix) {
        StringBuilder text = new StringBuilder(where).append(": ");
        if (key != null && !key.isEmpty()) {
            text.append(key).append(": ");
        }
        text.append(problem);
        if (fix != null && !fix.isEmpty()) {
            text.append(" — ").append(fix);
        }
        return text.toString();
    }
}
