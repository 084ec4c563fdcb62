#!/usr/bin/env python3
"""Profile a CSV/TSV file: rows, columns, types, blanks, numeric stats, common values."""
import csv
import json
import sys
from collections import Counter


def number(text):
    try:
        return float(text.replace(",", "")) if text.strip() else None
    except ValueError:
        return None


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    as_json = "--json" in argv
    if len(args) != 1:
        print("usage: summarize.py FILE.csv [--json]", file=sys.stderr)
        return 2
    path = args[0]
    try:
        handle = open(path, newline="", encoding="utf-8-sig", errors="replace")
    except OSError as e:
        print(f"cannot open {path}: {e.strerror}; give a path inside the workspace", file=sys.stderr)
        return 1
    with handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(handle, dialect)
        header = next(reader, None)
        if header is None:
            print(f"{path} is empty", file=sys.stderr)
            return 1
        columns = [{"name": h.strip() or f"column {i + 1}", "blank": 0, "numeric": 0, "min": None, "max": None,
                    "sum": 0.0, "values": Counter()} for i, h in enumerate(header)]
        rows = 0
        for row in reader:
            rows += 1
            for i, column in enumerate(columns):
                cell = row[i].strip() if i < len(row) else ""
                if not cell:
                    column["blank"] += 1
                    continue
                value = number(cell)
                if value is not None:
                    column["numeric"] += 1
                    column["sum"] += value
                    column["min"] = value if column["min"] is None else min(column["min"], value)
                    column["max"] = value if column["max"] is None else max(column["max"], value)
                if len(column["values"]) < 10000 or cell in column["values"]:
                    column["values"][cell] += 1
    summary = {"file": path, "rows": rows, "columns": []}
    for column in columns:
        filled = rows - column["blank"]
        kind = "empty" if filled == 0 else "number" if column["numeric"] == filled else "text"
        entry = {"name": column["name"], "type": kind, "blank": column["blank"],
                 "distinct": len(column["values"])}
        if kind == "number":
            entry.update(min=column["min"], max=column["max"], mean=round(column["sum"] / filled, 4))
        else:
            entry["top"] = [[value, count] for value, count in column["values"].most_common(3)]
        summary["columns"].append(entry)
    if as_json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"{path}: {rows} rows x {len(columns)} columns")
    for entry in summary["columns"]:
        line = f"- {entry['name']}: {entry['type']}, {entry['blank']} blank, {entry['distinct']} distinct"
        if entry["type"] == "number":
            line += f", min {entry['min']:g}, max {entry['max']:g}, mean {entry['mean']:g}"
        elif entry.get("top"):
            line += ", most common: " + ", ".join(f"{v!r} ({c})" for v, c in entry["top"])
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
