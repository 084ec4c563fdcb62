package dev.steward.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.steward.support.UsageException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standard five-field cron expression (minute hour day-of-month month day-of-week) or a macro such as
 * {@code @daily}, in a time zone; parsed and described in words by cron-utils.
 */
public record Cron(String expression, ZoneId zone) {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};
    /** cron-utils' Unix definition has no nicknames; these are the classic ones of cron(8). */
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final Pattern RANGE = Pattern.compile("Value (\\S+) not in range \\[(\\d+), (\\d+)]");

    /**
     * Parses {@code expression} in {@code zone} (an IANA name such as Europe/Berlin; null or blank for this machine's).
     *
     * @throws UsageException naming the field that is wrong, and how to write it
     */
    public static Cron parse(String expression, String zone) {
        if (expression == null || expression.isBlank()) {
            throw new UsageException("the cron expression is empty; write five fields such as \"0 7 * * *\""
                    + " (minute hour day-of-month month day-of-week) or a macro such as @daily");
        }
        ZoneId zoneId;
        try {
            zoneId = zone == null || zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new UsageException("unknown time zone '" + zone + "'; use an IANA name such as Europe/Berlin or UTC");
        }
        String text = expression.strip().replaceAll("\\s+", " ");
        String standard = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        if (standard.startsWith("@")) {
            throw new UsageException("unknown cron macro '" + text + "'; use one of " + String.join(", ",
                    new java.util.TreeSet<>(MACROS.keySet())) + ", or five fields such as \"0 7 * * *\"");
        }
        String[] parts = standard.split(" ");
        if (parts.length != 5) {
            throw new UsageException("a cron expression has 5 fields (minute hour day-of-month month day-of-week);"
                    + " '" + text + "' has " + parts.length + ": write for example \"0 7 * * *\" for every day at 07:00");
        }
        for (int i = 0; i < parts.length; i++) {
            checkField(i, parts[i]);
        }
        try {
            PARSER.parse(standard);
        } catch (IllegalArgumentException e) {
            throw new UsageException("'" + text + "' is not a valid cron expression: " + e.getMessage());
        }
        return new Cron(text, zoneId);
    }

    /** Parses one field with every other field '*', so that an error names the field that has it. */
    private static void checkField(int index, String value) {
        String[] probe = {"*", "*", "*", "*", "*"};
        probe[index] = value;
        try {
            PARSER.parse(String.join(" ", probe));
        } catch (IllegalArgumentException e) {
            Matcher range = RANGE.matcher(String.valueOf(e.getMessage()));
            String field = FIELDS[index];
            if (range.find()) {
                throw new UsageException(field + " " + range.group(1) + " is out of range " + range.group(2) + "–"
                        + range.group(3) + " (in '" + value + "')");
            }
            throw new UsageException(field + " '" + value + "' is not valid: write a number, a range (1-5), a list"
                    + " (1,15), a step (*/10) or *");
        }
    }

    private com.cronutils.model.Cron model() {
        return PARSER.parse(MACROS.getOrDefault(expression.toLowerCase(Locale.ROOT), expression));
    }

    /** In words: "every day at 07:00", "every 15 minutes". */
    public String description() {
        String words = CronDescriptor.instance(Locale.UK).describe(model());
        String[] parts = MACROS.getOrDefault(expression.toLowerCase(Locale.ROOT), expression).split(" ");
        boolean everyDay = parts[2].equals("*") && parts[3].equals("*") && parts[4].equals("*");
        return everyDay && words.startsWith("at ") ? "every day " + words : words;
    }

    /** The first time strictly after {@code after}, in the schedule's zone. */
    public Optional<ZonedDateTime> next(Instant after) {
        return ExecutionTime.forCron(model()).nextExecution(after.atZone(zone));
    }

    /** The last time at or before {@code at}. */
    public Optional<ZonedDateTime> last(Instant at) {
        return ExecutionTime.forCron(model()).lastExecution(at.plusMillis(1).atZone(zone));
    }
}
