package dev.steward.integrations.documents;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * A PDF's text in reading order (PDFBox), lines set clearly larger than the body text marked as headings; a table's
 * cells come out row by row on one line each.
 */
final class PdfText extends PDFTextStripper {
    /** A line at least this much larger than the body text is a heading. */
    private static final float HEADING_RATIO = 1.25f;

    private record Line(String text, float size) {}

    private final List<Line> lines = new ArrayList<>();

    private PdfText() {
        setSortByPosition(true);
    }

    static String read(Path file) throws IOException {
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
                throw new DocumentException(file.getFileName() + " is protected against copying its text; "
                        + "ask for an unprotected copy");
            }
            PdfText stripper = new PdfText();
            stripper.getText(pdf);
            stripper.writeLineSeparator();
            return stripper.render();
        }
    }

    private final StringBuilder current = new StringBuilder();
    private float currentSize;

    // The stripper writes a line as words and separators; the line's size is that of its largest characters.
    @Override
    protected void writeString(String text, List<TextPosition> positions) {
        current.append(text);
        currentSize = Math.max(currentSize,
                (float) positions.stream().mapToDouble(TextPosition::getFontSizeInPt).max().orElse(0));
    }

    @Override
    protected void writeWordSeparator() {
        current.append(' ');
    }

    @Override
    protected void writeLineSeparator() {
        if (!current.isEmpty()) {
            lines.add(new Line(current.toString(), currentSize));
        }
        current.setLength(0);
        currentSize = 0;
    }

    private String render() {
        // The body size is the size most of the characters are set in.
        Map<Float, Integer> characters = new HashMap<>();
        lines.forEach(line -> characters.merge(line.size(), line.text().length(), Integer::sum));
        float body = characters.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0f);
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            String text = line.text().strip();
            if (text.isEmpty()) {
                continue;
            }
            if (body > 0 && line.size() >= body * HEADING_RATIO) {
                out.append("\n# ").append(text).append("\n\n");
            } else {
                out.append(text).append('\n');
            }
        }
        return out.toString().strip() + "\n";
    }
}
