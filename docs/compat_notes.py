"""Collect the ``# MXNet 1.9.1 compat:`` notes of the code into docs/migrating.md.

    python docs/compat_notes.py           # print the list
    python docs/compat_notes.py --write   # replace the list in docs/migrating.md

Quirks of MXNet 1.9.1 that the code keeps on purpose are marked where they are kept;
this script gathers them (the marker's text plus its comment or docstring continuation
lines) between the BEGIN/END markers of docs/migrating.md.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
MARK = "MXNet 1.9.1 compat:"
BEGIN, END = "<!-- BEGIN compat notes -->", "<!-- END compat notes -->"


def _note(lines, i):
    line = lines[i]
    text = line.split(MARK, 1)[1].strip()
    in_comment = "#" in line.split(MARK, 1)[0]
    for nxt in lines[i + 1:]:
        s = nxt.strip()
        if in_comment and s.startswith("#") and MARK not in s:
            text += " " + s.lstrip("#").strip()
        elif not in_comment and s and not s.startswith('"""') and MARK not in s:
            text += " " + s.rstrip('"').strip()
            if s.endswith('"""'):
                break
        else:
            break
    return re.sub(r"\s+", " ", text).strip()


def collect():
    notes = []
    for path in sorted(ROOT.glob("packages/*/src/**/*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if MARK in line:
                rel = path.relative_to(ROOT).as_posix()
                module = rel.split("/src/", 1)[1][:-3].replace("/", ".")
                notes.append((module, _note(lines, i)))
    return notes


def render(notes):
    out, last = [], None
    for module, text in notes:
        if module != last:
            out.append(f"\n**`{module}`**\n")
            last = module
        out.append(f"- {text}")
    return "\n".join(out).strip() + "\n"


def main(argv):
    text = render(collect())
    if "--write" not in argv:
        sys.stdout.write(text)
        return 0
    doc = ROOT / "docs" / "migrating.md"
    content = doc.read_text(encoding="utf-8")
    head, rest = content.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    doc.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
