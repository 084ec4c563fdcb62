package dev.steward.integrations.documents;

import java.util.ArrayList;
import java.util.List;

/** Tables as Markdown rows, and CSV (RFC 4180: quoted fields, doubled quotes, commas and newlines inside) read. */
final class Tables {
    private Tables() {}

    /** A Markdown table; the first row is the header. Pipes and newlines inside cells are escaped. */
    static String markdown(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        int width = rows.stream().mapToInt(List::size).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append('|');
            for (int c = 0; c < width; c++) {
                String cell = c < rows.get(r).size() ? rows.get(r).get(c) : "";
                String shown = cell.strip().replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ");
                out.append(shown.isEmpty() ? " |" : " " + shown + " |");
            }
            out.append('\n');
            if (r == 0) {
                out.append('|').append(" --- |".repeat(width)).append('\n');
            }
        }
        return out.toString();
    }

    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(ch);
            }
        }
        if (!field.isEmpty() || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
