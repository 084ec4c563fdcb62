package dev.steward.app;

import dev.steward.integrations.documents.DocumentException;
import dev.steward.integrations.documents.DocumentText;
import dev.steward.memory.DocumentReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The knowledge base's reader: the integrations' document reader (docx, xlsx, pptx, pdf, md, txt, csv), and HTML
 * pages as headings and paragraphs (scripts, styles and navigation left out). Memory knows none of these formats.
 */
final class DocumentFiles implements DocumentReader {

    @Override
    public boolean reads(Path file) {
        String kind = extension(file);
        return DocumentText.READABLE.contains(kind) || kind.equals("html") || kind.equals("htm");
    }

    @Override
    public String read(Path file) {
        String kind = extension(file);
        try {
            return kind.equals("html") || kind.equals("htm") ? html(file) : DocumentText.read(file);
        } catch (DocumentException e) {
            throw new Unreadable(e.getMessage(), e);
        } catch (IOException e) {
            throw new Unreadable(file.getFileName() + " cannot be read as HTML (" + e.getMessage() + "); check that it"
                    + " exists and that Steward may read it", e);
        }
    }

    /** A page as Markdown-like text: h1–h6 as # headings, each paragraph, list item, table row or cell on its own. */
    static String html(Path file) throws IOException {
        Document page = Jsoup.parse(file.toFile());
        page.select("script, style, noscript, nav, header, footer, template").remove();
        StringBuilder text = new StringBuilder();
        String title = page.title().strip();
        if (!title.isEmpty() && page.selectFirst("h1") == null) {
            text.append("# ").append(title).append("\n\n");
        }
        for (Element e : page.body().select("h1, h2, h3, h4, h5, h6, p, li, tr, pre, blockquote, dd, dt")) {
            String own = e.text().strip();
            if (own.isEmpty() || (!e.is("tr") && e.parents().is("p, li, tr, pre, blockquote"))) {
                continue; // nested in a block already taken whole
            }
            if (e.normalName().matches("h[1-6]")) {
                text.append("#".repeat(e.normalName().charAt(1) - '0')).append(' ').append(own).append("\n\n");
            } else if (e.is("li")) {
                text.append("- ").append(own).append('\n');
            } else if (e.is("tr")) {
                text.append("| ").append(String.join(" | ", e.children().eachText())).append(" |\n");
            } else {
                text.append(own).append("\n\n");
            }
        }
        return text.toString();
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
