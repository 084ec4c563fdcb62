#!/usr/bin/env python3
"""Print or write a Markdown table of contents from a file's headings."""
import re
import sys

START, END = "<!-- toc -->", "<!-- /toc -->"


def anchor(title, seen):
    slug = re.sub(r"[^\w\- ]", "", title.lower()).strip().replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def headings(lines, depth):
    fence, seen, found = None, {}, []
    for line in lines:
        marker = re.match(r"^\s*(```|~~~)", line)
        if marker:
            fence = None if fence == marker.group(1) else fence or marker.group(1)
            continue
        match = None if fence else re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
        if match:
            title = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", match.group(2))
            found.append((len(match.group(1)), title, anchor(title, seen)))
    if not found:
        return []
    top = min(level for level, _, _ in found)
    return [(level - top, title, slug) for level, title, slug in found if level - top < depth]


def main(argv):
    depth = 3
    files = []
    write = False
    for arg in argv:
        if arg == "--write":
            write = True
        elif arg.startswith("--depth="):
            depth = int(arg.split("=", 1)[1])
        else:
            files.append(arg)
    if len(files) != 1:
        print("usage: toc.py FILE.md [--write] [--depth=N]", file=sys.stderr)
        return 2
    path = files[0]
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as e:
        print(f"cannot read {path}: {e.strerror}; give a path inside the workspace", file=sys.stderr)
        return 1
    lines = text.split("\n")
    toc = "\n".join("  " * level + f"- [{title}](#{slug})" for level, title, slug in headings(lines, depth))
    if not toc:
        print(f"{path} has no headings", file=sys.stderr)
        return 1
    if not write:
        print(toc)
        return 0
    block = f"{START}\n{toc}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        first = next((i for i, l in enumerate(lines) if l.startswith("#")), -1)
        lines.insert(first + 1, "\n" + block + "\n")
        text = "\n".join(lines)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote the table of contents into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
