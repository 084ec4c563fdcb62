#!/usr/bin/env python3
"""An example script: replace it with what the skill does."""
import sys


def main(argv):
    print("Hello from the skill; arguments:", " ".join(argv) or "(none)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
