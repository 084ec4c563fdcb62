package dev.steward.integrations.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import dev.steward.actions.ToolException;
import dev.steward.support.Json;
import dev.steward.support.Text;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads a rendered page: its visible text, a compact snapshot of what can be acted on (each with a reference such
 * as {@code e3} that browser.fill, click and select accept later in the same task), tables, links and lists, and
 * whether a captcha or a login wall stands in the way. Everything comes from the DOM after the page's scripts ran.
 */
final class PageReader {
    static final int SNAPSHOT_LIMIT = 150;
    static final String REF_ATTRIBUTE = "data-steward-ref";

    private static final String SNAPSHOT = """
            (limit) => {
              document.querySelectorAll('[data-steward-ref]').forEach(e => e.removeAttribute('data-steward-ref'));
              const clean = s => (s || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
              const visible = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
              const role = e => { const t = e.tagName.toLowerCase(), r = e.getAttribute('role');
                if (r) return r; if (t === 'a') return 'link'; if (t === 'button') return 'button';
                if (t === 'select') return 'combobox'; if (t === 'textarea') return 'textbox';
                if (/^h[1-6]$/.test(t)) return 'heading';
                if (t === 'input') { const y = (e.type || 'text').toLowerCase();
                  if (y === 'checkbox' || y === 'radio') return y;
                  return ['submit', 'button', 'reset', 'image'].includes(y) ? 'button' : 'textbox'; }
                return t; };
              const name = e => clean(e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
                || e.getAttribute('placeholder') || e.getAttribute('title') || e.innerText || e.value || e.getAttribute('name'));
              const out = []; let n = 0;
              for (const e of document.querySelectorAll('h1,h2,h3,a[href],button,input:not([type=hidden]),select,'
                  + 'textarea,[role=button],[role=link],[role=tab],[role=menuitem],[role=checkbox]')) {
                if (n >= limit || !visible(e)) continue;
                const ref = 'e' + (++n); e.setAttribute('data-steward-ref', ref);
                const item = { ref, role: role(e), name: name(e) };
                if (e.name) item.field = e.name;
                if (e.tagName === 'A') item.url = e.href;
                out.push(item);
              }
              return JSON.stringify(out);
            }""";
    private static final String TABLE = """
            (root) => {
              const t = root.tagName === 'TABLE' ? root : root.querySelector('table');
              if (!t) return null;
              const text = c => c.innerText.replace(/\\s+/g, ' ').trim();
              const rows = [...t.rows];
              let head = t.tHead && t.tHead.rows.length ? [...t.tHead.rows[0].cells]
                : (rows.length && [...rows[0].cells].every(c => c.tagName === 'TH') ? [...rows[0].cells] : null);
              const body = rows.filter(r => !(head && r === head[0].parentElement));
              return JSON.stringify({ columns: head ? head.map(text) : [], rows: body.map(r => [...r.cells].map(text)) });
            }""";
    private static final String LINKS = """
            (root) => JSON.stringify([...root.querySelectorAll('a[href]')].map(a =>
                ({ text: a.innerText.replace(/\\s+/g, ' ').trim(), url: a.href })))""";
    private static final String LIST = """
            (root) => JSON.stringify([...root.querySelectorAll('li')].map(li => li.innerText.replace(/\\s+/g, ' ').trim())
                .filter(s => s.length > 0))""";
    private static final String SELECTORS = """
            () => { const seen = new Set();
              document.querySelectorAll('body *').forEach(e => { seen.add(e.tagName.toLowerCase());
                if (e.id) seen.add('#' + e.id);
                e.classList.forEach(c => seen.add('.' + c)); });
              return JSON.stringify([...seen]); }""";
    private static final String WALL = """
            () => { const text = document.body ? document.body.innerText.toLowerCase() : '';
              const frames = [...document.querySelectorAll('iframe')].map(f => f.src || '').join(' ');
              if (/recaptcha|hcaptcha|turnstile|captcha/.test(frames) || document.querySelector('.g-recaptcha,.h-captcha')
                  || /verify (that )?you are (a )?human|are you a robot/.test(text)) return 'captcha';
              if (document.querySelector('input[type=password]')) return 'login';
              return null; }""";

    private PageReader() {}

    /** The visible text of the page, cut at {@code max} characters. */
    static ObjectNode text(Page page, int max) {
        String text = page.innerText("body");
        return Json.object().put("text", Text.abbreviate(text, max)).put("truncated", text.length() > max);
    }

    /** The elements to act on, with fresh references (earlier references of this page stop working). */
    static JsonNode snapshot(Page page) {
        return Json.parse((String) page.evaluate(SNAPSHOT, SNAPSHOT_LIMIT));
    }

    /** "captcha", "login" or null: what keeps Steward from the page's content, to tell the user rather than guess. */
    static String wall(Page page) {
        return (String) page.evaluate(WALL);
    }

    /** What to tell the model and the user about a wall. */
    static String wallNotice(String wall) {
        return wall.equals("captcha")
                ? "this page shows a captcha: Steward does not solve captchas; ask the user to open it themselves"
                : "this page asks to sign in: Steward does not sign in on the user's behalf; ask the user";
    }

    /** Extracts {@code format} (text, table, links, list) from the elements {@code selector} matches (the body if none). */
    static JsonNode extract(Page page, String selector, String format, int max) {
        String scope = selector == null || selector.isBlank() ? "body" : selector;
        var root = page.locator(scope);
        if (root.count() == 0) {
            throw new ToolException("the selector '" + scope + "' matches nothing on " + page.url()
                    + near(scope, Json.parse((String) page.evaluate(SELECTORS))));
        }
        var first = root.first();
        return switch (format) {
            case "table" -> {
                Object table = first.evaluate(TABLE);
                if (table == null) {
                    throw new ToolException("no table in '" + scope + "' on " + page.url()
                            + "; use format 'text' or 'list', or a selector of a table");
                }
                yield Json.parse((String) table);
            }
            case "links" -> Json.object().set("links", Json.parse((String) first.evaluate(LINKS)));
            case "list" -> Json.object().set("items", Json.parse((String) first.evaluate(LIST)));
            case "text" -> {
                String text = String.join("\n", root.allInnerTexts());
                yield Json.object().put("text", Text.abbreviate(text, max)).put("truncated", text.length() > max);
            }
            default -> throw new ToolException("argument 'format': expected text, table, links or list, found " + format);
        };
    }

    /** "; near matches: a, b, c" from the candidates closest to {@code wanted}, or a hint when none is close. */
    static String near(String wanted, JsonNode candidates) {
        String lower = wanted.toLowerCase(Locale.ROOT);
        List<String> names = new java.util.ArrayList<>();
        candidates.forEach(c -> names.add(c.asText()));
        List<String> close = names.stream().filter(n -> !n.isBlank())
                .sorted(Comparator.comparingInt(n -> score(lower, n.toLowerCase(Locale.ROOT))))
                .limit(5).toList();
        return close.isEmpty() ? "; the page has nothing of that kind"
                : "; near matches: " + String.join(", ", close.stream().map(n -> "'" + n + "'").toList());
    }

    /** Lower is closer: containing the wanted text counts as nearly equal. */
    private static int score(String wanted, String candidate) {
        int distance = Text.distance(wanted, candidate);
        return candidate.contains(wanted) || wanted.contains(candidate) ? distance / 4 : distance;
    }

    static ArrayNode names(JsonNode snapshot, boolean fieldsOnly) {
        ArrayNode names = Json.mapper().createArrayNode();
        for (JsonNode item : snapshot) {
            String role = item.path("role").asText();
            if (fieldsOnly && !(role.equals("textbox") || role.equals("combobox") || role.equals("checkbox")
                    || role.equals("radio"))) {
                continue;
            }
            if (!item.path("name").asText().isBlank()) {
                names.add(item.path("name").asText());
            }
            if (item.has("field")) {
                names.add(item.path("field").asText());
            }
        }
        return names;
    }
}
