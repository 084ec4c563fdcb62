package dev.steward.integrations.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.SelectOption;
import dev.steward.actions.ToolException;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Puts values into form fields as a person would: typing, choosing an option, ticking a box; and sends a form. */
final class Forms {
    private static final Set<String> YES = Set.of("true", "yes", "on", "1", "checked");
    private static final String KIND = "e => e.tagName.toLowerCase() + ':' + (e.type || '').toLowerCase()";
    private static final String OPTIONS = "e => JSON.stringify([...e.options].map(o => [o.label, o.value]))";
    private static final String SUBMIT = """
            e => { const f = e.form || e.closest('form');
              if (!f) return false;
              if (f.requestSubmit) f.requestSubmit(); else f.submit();
              return true; }""";

    private Forms() {}

    /** Sets a field to {@code value}: a drop-down chooses it, a checkbox or radio is ticked for yes/true/on. */
    static void set(Locator field, String name, String value) {
        String kind = (String) field.evaluate(KIND);
        if (kind.startsWith("select:")) {
            choose(field, name, value);
        } else if (kind.endsWith(":checkbox") || kind.endsWith(":radio")) {
            field.setChecked(YES.contains(value.strip().toLowerCase(Locale.ROOT)));
        } else if (kind.startsWith("input:") || kind.startsWith("textarea:") || kind.startsWith("div:")) {
            field.fill(value);
        } else {
            throw new ToolException("'" + name + "' is a " + kind.substring(0, kind.indexOf(':'))
                    + ", not a field one can type into");
        }
    }

    /** Chooses the option whose text (else value) is {@code option}; the message lists the options there are. */
    static String choose(Locator field, String name, String option) {
        String kind = (String) field.evaluate(KIND);
        if (!kind.startsWith("select:")) {
            throw new ToolException("'" + name + "' is not a drop-down; use browser.fill for it");
        }
        JsonNode options = Json.parse((String) field.evaluate(OPTIONS));
        List<String> labels = new ArrayList<>();
        for (JsonNode pair : options) {
            String label = pair.get(0).asText().strip();
            String value = pair.get(1).asText();
            if (label.equalsIgnoreCase(option.strip())) {
                field.selectOption(new SelectOption().setLabel(pair.get(0).asText()));
                return label;
            }
            if (value.equals(option)) {
                field.selectOption(new SelectOption().setValue(value));
                return label;
            }
            labels.add("'" + label + "'");
        }
        throw new ToolException("'" + name + "' has no option '" + option + "'; its options: " + String.join(", ", labels));
    }

    /** Sends the form the field belongs to, as its own submit button would. */
    static void submit(Locator field) {
        if (!Boolean.TRUE.equals(field.evaluate(SUBMIT))) {
            throw new ToolException("the fields are not in a form: name the button to press with 'submit'");
        }
    }
}
