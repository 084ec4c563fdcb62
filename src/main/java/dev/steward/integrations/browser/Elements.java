package dev.steward.integrations.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.actions.ToolException;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Finds the element a tool call names: a reference from the latest snapshot ({@code e3}), else a label, a field
 * name, a placeholder, or (for a click) a button's or link's text. A name that matches nothing gets the names that
 * come closest on the page.
 */
final class Elements {
    private static final Pattern REF = Pattern.compile("e\\d+");

    private Elements() {}

    /** A form field by reference, label, name or placeholder. */
    static Locator field(Page page, String target) {
        return find(page, target, "field", true, List.of(
                () -> page.getByLabel(target, new Page.GetByLabelOptions().setExact(true)),
                () -> page.locator("[name=\"" + cssString(target) + "\"]"),
                () -> page.getByPlaceholder(target, new Page.GetByPlaceholderOptions().setExact(true)),
                () -> page.getByLabel(target)));
    }

    /** Something to click by reference, button or link text, label or exact text. */
    static Locator clickable(Page page, String target) {
        return find(page, target, "element", false, List.of(
                () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(target).setExact(true)),
                () -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(target).setExact(true)),
                () -> page.getByLabel(target, new Page.GetByLabelOptions().setExact(true)),
                () -> page.locator("[name=\"" + cssString(target) + "\"]"),
                () -> page.getByText(target, new Page.GetByTextOptions().setExact(true)),
                () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(target)),
                () -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(target))));
    }

    private static Locator find(Page page, String target, String kind, boolean fieldsOnly,
                                List<Supplier<Locator>> ways) {
        if (target == null || target.isBlank()) {
            throw new ToolException("name the " + kind + ": a reference from browser.open (such as e3), a label, "
                    + "a field name or a text");
        }
        if (REF.matcher(target).matches()) {
            Locator byRef = page.locator("[" + PageReader.REF_ATTRIBUTE + "=\"" + target + "\"]");
            if (byRef.count() > 0) {
                return byRef.first();
            }
            throw new ToolException("no element " + target + " on " + page.url() + ": references come from the "
                    + "latest browser.open or browser.extract of this page in this task; open it again for fresh ones");
        }
        for (Supplier<Locator> way : ways) {
            Locator found = way.get();
            if (found.count() > 0) {
                return found.first();
            }
        }
        throw new ToolException("no " + kind + " '" + target + "' on " + page.url()
                + PageReader.near(target, PageReader.names(PageReader.snapshot(page), fieldsOnly)));
    }

    private static String cssString(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
