package dev.steward.integrations.documents;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/**
 * Writes documents: Markdown (headings, paragraphs, bullet lists, tables) as a .docx with real heading and list
 * styles, and sheets of rows as an .xlsx (numbers and booleans as such; text stays text, never a formula).
 */
final class DocumentWriter {
    private DocumentWriter() {}

    static byte[] docx(String markdown) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); var bytes = new java.io.ByteArrayOutputStream()) {
            XWPFStyles styles = doc.createStyles();
            for (int level = 1; level <= 6; level++) {
                style(styles, "Heading" + level, "heading " + level, level - 1);
            }
            style(styles, "ListBullet", "List Bullet", -1);
            List<String> lines = Arrays.asList(markdown.split("\\R", -1));
            StringBuilder paragraph = new StringBuilder();
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("- ") || trimmed.startsWith("* ")
                        || trimmed.startsWith("|")) {
                    flush(doc, paragraph);
                }
                if (trimmed.matches("#{1,6} .*")) {
                    int level = trimmed.indexOf(' ');
                    styled(doc, "Heading" + level, trimmed.substring(level + 1).strip());
                } else if (trimmed.startsWith("- ") || trimmed.startsWith("* ")) {
                    styled(doc, "ListBullet", "• " + trimmed.substring(2).strip());
                } else if (trimmed.startsWith("|")) {
                    List<List<String>> rows = new ArrayList<>();
                    rows.add(cells(trimmed));
                    while (it.hasNext()) {
                        String next = it.next().strip();
                        if (!next.startsWith("|")) {
                            if (!next.isEmpty()) {
                                paragraph.append(next);
                            }
                            break;
                        }
                        if (!next.matches("\\|[\\s:|-]+\\|?")) {
                            rows.add(cells(next));
                        }
                    }
                    table(doc, rows);
                } else if (!trimmed.isEmpty()) {
                    paragraph.append(paragraph.isEmpty() ? "" : " ").append(trimmed);
                }
            }
            flush(doc, paragraph);
            doc.write(bytes);
            return bytes.toByteArray();
        }
    }

    private static void style(XWPFStyles styles, String id, String name, int outline) {
        CTStyle style = CTStyle.Factory.newInstance();
        style.setStyleId(id);
        style.addNewName().setVal(name);
        style.setType(STStyleType.PARAGRAPH);
        style.addNewBasedOn().setVal("Normal");
        if (outline >= 0) {
            style.addNewPPr().addNewOutlineLvl().setVal(BigInteger.valueOf(outline));
            style.addNewRPr().addNewB();
        }
        styles.addStyle(new XWPFStyle(style));
    }

    private static void styled(XWPFDocument doc, String style, String text) {
        XWPFParagraph paragraph = doc.createParagraph();
        paragraph.setStyle(style);
        paragraph.createRun().setText(text);
    }

    private static void flush(XWPFDocument doc, StringBuilder text) {
        if (!text.isEmpty()) {
            doc.createParagraph().createRun().setText(text.toString());
            text.setLength(0);
        }
    }

    private static List<String> cells(String row) {
        String inner = row.strip().replaceAll("^\\|", "").replaceAll("\\|$", "");
        return Arrays.stream(inner.split("(?<!\\\\)\\|", -1)).map(c -> c.strip().replace("\\|", "|")).toList();
    }

    private static void table(XWPFDocument doc, List<List<String>> rows) {
        int width = rows.stream().mapToInt(List::size).max().orElse(1);
        XWPFTable table = doc.createTable(rows.size(), width);
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < width; c++) {
                table.getRow(r).getCell(c).setText(c < rows.get(r).size() ? rows.get(r).get(c) : "");
            }
        }
    }

    static byte[] xlsx(JsonNode sheets) throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(); var bytes = new java.io.ByteArrayOutputStream()) {
            for (Map.Entry<String, JsonNode> entry : sheets.properties()) {
                WorkbookUtil.validateSheetName(entry.getKey());
                Sheet sheet = book.createSheet(entry.getKey());
                int r = 0;
                for (JsonNode values : entry.getValue()) {
                    Row row = sheet.createRow(r++);
                    int c = 0;
                    for (JsonNode value : values.isArray() ? values : List.of(values)) {
                        Cell cell = row.createCell(c++);
                        if (value.isNumber()) {
                            cell.setCellValue(value.asDouble());
                        } else if (value.isBoolean()) {
                            cell.setCellValue(value.asBoolean());
                        } else if (!value.isNull()) {
                            cell.setCellValue(value.asText());
                        }
                    }
                }
            }
            book.write(bytes);
            return bytes.toByteArray();
        }
    }

    static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".steward-", ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            out.write(content);
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
