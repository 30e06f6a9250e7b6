#!/usr/bin/env python3
"""Lists Rust functions longer than a limit (default 100 lines) that have no reason written
above them.

A reason is a line comment starting `// long:` among the comment and attribute lines right
above the function (e.g. `// long: one match arm per GENIUS element, read in document order`).
Run from anywhere; exits 1 when an unexplained long function is found. `--top N` lists the N
longest functions instead.

The scan is a small lexer, not a parser: it skips comments, strings (raw ones too) and char
literals, and counts braces from the `fn` line to the brace that closes its body.
"""

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+\"[^\"]*\"\s+)?fn\s+(\w+)")


def code_only(text):
    """The text with comments, strings and char literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + len(hashes) + 2)
            j = n if end < 0 else end + 1 + len(hashes)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(re.sub(r"[^\n]", " ", text[i:j + 1]))
            i = j + 1
        elif c == "'":
            m = re.match(r"'(\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)|[^\\'])'", text[i:i + 12])
            if m:
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
            else:  # a lifetime
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    """(length in lines, first line, name, reason) of every function with a body."""
    text = path.read_text(encoding="utf-8")
    raw = text.split("\n")
    code = code_only(text).split("\n")
    found = []
    for start, line in enumerate(code):
        m = FN.match(line)
        if not m:
            continue
        depth, opened = 0, False
        for end in range(start, len(code)):
            part = code[end]
            if not opened and ";" in part and "{" not in part:
                break
            depth += part.count("{") - part.count("}")
            opened = opened or "{" in part
            if opened and depth <= 0:
                found.append((end - start + 1, start + 1, m.group(7), reason(raw, start)))
                break
    return found


def reason(raw, start):
    """The `// long:` reason among the comment and attribute lines above line `start`."""
    k = start - 1
    while k >= 0 and raw[k].strip().startswith(("//", "#[", "#![")):
        if raw[k].strip().lower().startswith("// long:"):
            return raw[k].strip()[len("// long:"):].strip()
        k -= 1
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--top", type=int, help="list the N longest functions and exit")
    args = ap.parse_args()
    every = []
    for path in sorted((ROOT / "crates").rglob("*.rs")):
        rel = path.relative_to(ROOT)
        if "target" in rel.parts or "fuzz" in rel.parts:
            continue
        every += [(length, f"{rel}:{line}", name, why) for length, line, name, why in functions(path)]
    every.sort(reverse=True)
    if args.top:
        for length, where, name, why in every[: args.top]:
            print(f"{length:5}  {where}  {name}" + (f"  (long: {why})" if why else ""))
        return 0
    bad = [f for f in every if f[0] > args.limit and not f[3]]
    for length, where, name, _ in bad:
        print(f"{where}: `{name}` is {length} lines (over {args.limit}) with no `// long:` reason above it")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
