package dev.steward.integrations.documents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.FormulaEvaluator;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableCell;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextShape;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;

/**
 * A document as Markdown-like text: headings as {@code #} lines, tables as {@code |} rows, lists as {@code -} items,
 * spreadsheets sheet by sheet (formulas computed), slides one by one. Usable on its own, outside any tool.
 */
public final class DocumentText {
    /** The kinds of file it reads, by extension. */
    public static final List<String> READABLE = List.of("docx", "xlsx", "pptx", "pdf", "md", "txt", "csv");

    private DocumentText() {}

    /** The text of a file; a DocumentException says which file is unreadable and what to do. */
    public static String read(Path file) {
        String kind = extension(file);
        if (!READABLE.contains(kind)) {
            throw new DocumentException(file.getFileName() + " is a ." + kind + " file; readable are ."
                    + String.join(", .", READABLE));
        }
        try {
            return switch (kind) {
                case "docx" -> docx(file);
                case "xlsx" -> xlsx(file);
                case "pptx" -> pptx(file);
                case "pdf" -> PdfText.read(file);
                case "csv" -> Tables.markdown(Tables.csv(Files.readString(file, StandardCharsets.UTF_8)));
                default -> Files.readString(file, StandardCharsets.UTF_8);
            };
        } catch (DocumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DocumentException(file.getFileName() + " cannot be read as ." + kind + " (" + e.getMessage()
                    + "); it may be damaged or not really a ." + kind + " file: open it in its program and save it again");
        }
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String docx(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); XWPFDocument doc = new XWPFDocument(in)) {
            StringBuilder out = new StringBuilder();
            for (IBodyElement element : doc.getBodyElements()) {
                if (element instanceof XWPFParagraph paragraph) {
                    paragraph(doc, paragraph, out);
                } else if (element instanceof XWPFTable table) {
                    List<List<String>> rows = new ArrayList<>();
                    for (XWPFTableRow row : table.getRows()) {
                        rows.add(row.getTableCells().stream().map(XWPFTableCell::getText).toList());
                    }
                    out.append(Tables.markdown(rows)).append('\n');
                }
            }
            return out.toString().strip() + "\n";
        }
    }

    private static void paragraph(XWPFDocument doc, XWPFParagraph paragraph, StringBuilder out) {
        String text = paragraph.getText().strip();
        if (text.isEmpty()) {
            return;
        }
        int level = headingLevel(doc, paragraph);
        if (level > 0) {
            out.append("#".repeat(level)).append(' ').append(text).append("\n\n");
        } else if (paragraph.getNumID() != null || styleName(doc, paragraph).startsWith("list")) {
            out.append("- ").append(text).append('\n');
        } else {
            out.append(text).append("\n\n");
        }
    }

    /** 1–6 for a heading (by its style's name, as Word, LibreOffice and python-docx write it), 0 otherwise. */
    private static int headingLevel(XWPFDocument doc, XWPFParagraph paragraph) {
        String name = styleName(doc, paragraph);
        if (name.equals("title")) {
            return 1;
        }
        if (name.matches("heading \\d")) {
            return Math.min(6, Integer.parseInt(name.substring(8)));
        }
        return 0;
    }

    private static String styleName(XWPFDocument doc, XWPFParagraph paragraph) {
        String id = paragraph.getStyleID();
        if (id == null) {
            return "";
        }
        XWPFStyle style = doc.getStyles() == null ? null : doc.getStyles().getStyle(id);
        String name = style != null && style.getName() != null ? style.getName() : id.replaceAll("(\\D)(\\d)", "$1 $2");
        return name.toLowerCase(Locale.ROOT);
    }

    private static String xlsx(Path file) throws IOException {
        try (Workbook book = WorkbookFactory.create(file.toFile(), null, true)) {
            FormulaEvaluator formulas = book.getCreationHelper().createFormulaEvaluator();
            DataFormatter format = new DataFormatter();
            StringBuilder out = new StringBuilder();
            for (Sheet sheet : book) {
                out.append("## ").append(sheet.getSheetName()).append("\n\n");
                List<List<String>> rows = new ArrayList<>();
                for (Row row : sheet) {
                    List<String> cells = new ArrayList<>();
                    for (int c = 0; c < Math.max(0, row.getLastCellNum()); c++) {
                        Cell cell = row.getCell(c);
                        cells.add(cell == null ? "" : format.formatCellValue(cell, formulas));
                    }
                    rows.add(cells);
                }
                out.append(rows.isEmpty() ? "(empty)\n" : Tables.markdown(rows)).append('\n');
            }
            return out.toString().strip() + "\n";
        }
    }

    private static String pptx(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); XMLSlideShow slides = new XMLSlideShow(in)) {
            StringBuilder out = new StringBuilder();
            int number = 0;
            for (XSLFSlide slide : slides.getSlides()) {
                number++;
                String title = slide.getTitle();
                out.append("## Slide ").append(number).append(title == null ? "" : ": " + title).append("\n\n");
                for (XSLFShape shape : slide.getShapes()) {
                    if (shape instanceof XSLFTextShape text && !text.getText().strip().equals(title == null ? "" : title.strip())) {
                        if (!text.getText().isBlank()) {
                            out.append(text.getText().strip()).append("\n\n");
                        }
                    } else if (shape instanceof XSLFTable table) {
                        List<List<String>> rows = new ArrayList<>();
                        for (XSLFTableRow row : table.getRows()) {
                            rows.add(row.getCells().stream().map(XSLFTableCell::getText).toList());
                        }
                        out.append(Tables.markdown(rows)).append('\n');
                    }
                }
            }
            return out.toString().strip() + "\n";
        }
    }
}
