#!/usr/bin/env python3
"""Check that every relative link in README.md and docs/*.md resolves: the
file exists in the source tree and, for a link with #anchor, the target
Markdown file has a heading with that anchor (GitHub's rule: lower case,
punctuation dropped, spaces to hyphens, -1, -2 ... for repeats). Source
paths named in the prose (`dsp/bank.c`, tests/perf/test_noise.c,
`gui/view.[ch]`, `dsp/bandlimit.*`) must exist too, so the docs follow
files that move.

    python3 scripts/check_links.py [SOURCE_ROOT]
"""
import glob
import os
import re
import sys

LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(([^()\s]+)(?:\s+\"[^\"]*\")?\)")
# A path into one of the source folders, not part of a longer path or URL.
SOURCE_PATH = re.compile(r"(?<![\w/.$-])((?:dsp|cli|plugin|gui|protocol|draw|tests|scripts|ttl|"
                         r"presets|docs|\.ci)/[\w./\[\]*+-]*[\w\]*/])")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def prose_lines(text):
    """The lines outside fenced and indented code blocks."""
    fenced, previous_blank = False, True
    for line in text.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            continue
        indented = line.startswith("    ") and previous_blank
        if not fenced and not indented:
            yield line
        if not indented:
            previous_blank = not line.strip()


def slug(heading):
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    seen, result = {}, set()
    with open(path, encoding="utf-8") as f:
        for line in prose_lines(f.read()):
            m = HEADING.match(line)
            if not m:
                continue
            base = slug(m.group(2))
            n = seen.get(base, 0)
            seen[base] = n + 1
            result.add(base if n == 0 else "%s-%d" % (base, n))
    return result


def check(root):
    docs = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    errors, count = [], 0
    for doc in docs:
        with open(doc, encoding="utf-8") as f:
            text = f.read()
        for line in prose_lines(text):
            for target in LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue                      # http:, https:, mailto:
                count += 1
                path, _, anchor = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
                where = os.path.relpath(doc, root)
                if not os.path.exists(dest):
                    errors.append("%s: %s: no such file" % (where, target))
                elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
                    errors.append("%s: %s: no heading with that anchor in %s"
                                  % (where, target, os.path.relpath(dest, root)))
            for path in SOURCE_PATH.findall(LINK.sub("", line)):
                count += 1
                if not glob.glob(os.path.join(root, path.rstrip("/"))):
                    errors.append("%s: %s: no such file or folder in the source tree"
                                  % (os.path.relpath(doc, root), path))
    return docs, count, errors


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    docs, count, errors = check(os.path.abspath(root))
    for e in errors:
        print(e)
    print("%d relative links and source paths in %d files, %d broken"
          % (count, len(docs), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
