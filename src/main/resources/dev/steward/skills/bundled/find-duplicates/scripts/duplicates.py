#!/usr/bin/env python3
"""Group files with identical content (SHA-256) under a folder."""
import hashlib
import json
import os
import sys
from collections import defaultdict


def digest(path):
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def main(argv):
    as_json = "--json" in argv
    min_size = 1
    folders = []
    for arg in argv:
        if arg.startswith("--min-size="):
            min_size = int(arg.split("=", 1)[1])
        elif not arg.startswith("--"):
            folders.append(arg)
    root = folders[0] if folders else "."
    if not os.path.isdir(root):
        print(f"no folder {root} in the workspace", file=sys.stderr)
        return 1
    by_size = defaultdict(list)
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                size = os.path.getsize(path)
                if size >= min_size:
                    by_size[size].append(path)
    groups = []
    for size, paths in by_size.items():
        if len(paths) < 2:
            continue
        by_hash = defaultdict(list)
        for path in paths:
            by_hash[digest(path)].append(os.path.normpath(path))
        for sha, same in by_hash.items():
            if len(same) > 1:
                groups.append({"sha256": sha, "size": size, "files": sorted(same), "wasted": size * (len(same) - 1)})
    groups.sort(key=lambda g: -g["wasted"])
    if as_json:
        print(json.dumps({"groups": groups, "wasted": sum(g["wasted"] for g in groups)}, indent=2))
        return 0
    if not groups:
        print(f"no duplicate files under {root}")
        return 0
    for group in groups:
        print(f"{len(group['files'])} copies of {group['size']} bytes:")
        for path in group["files"]:
            print(f"  {path}")
    print(f"{sum(g['wasted'] for g in groups)} bytes in duplicate copies")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
