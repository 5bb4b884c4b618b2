"""The roadmap: content/roadmap.yaml → /roadmap/ with progress per step; every mistake names its line."""

from __future__ import annotations

import re

import pytest

from conftest import post

ROADMAP = """\
steps:
  - title: Foundations
    topics:
      - {name: Statistics, status: done, tags: [statistics]}
      - {name: NumPy, status: learning, tags: [NumPy, python]}
      - {name: Calculus, status: todo}
  - title: Deployment
    topics:
      - {name: Docker, status: done, tags: []}
"""


def test_roadmap_page_shows_progress_and_covering_posts(site, stufen):
    root = site({
        "content/roadmap.yaml": ROADMAP,
        "content/posts/np.md": post("Arrays", "2024-01-01", tags="[numpy]"),
        "content/posts/py.md": post("Scripts", "2024-02-01", tags="[python]"),
        "content/posts/st.md": post("Means", "2024-03-01", tags="[statistics]"),
    })
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/roadmap/index.html").read_text()
    assert "2 of 4 topics learnt." in html
    assert re.findall(r"(\d) of (\d) done(, \d in progress)?", html) == [("1", "3", ", 1 in progress"), ("1", "1", "")]
    assert '<progress max="3" value="1"' in html
    topics = re.findall(r'<span class="status status-(\w+)">[^<]+</span>\s*<span class="topic-name">([^<]+)<', html)
    assert topics == [("done", "Statistics"), ("learning", "NumPy"), ("todo", "Calculus"), ("done", "Docker")]
    numpy_topic = html.split('<span class="topic-name">NumPy</span>', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<a href="/posts/(\w+)/">', numpy_topic) == ["np", "py"]


def test_no_roadmap_file_means_no_page(site, stufen):
    root = site({"content/posts/a.md": post("A")})
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/roadmap").exists()


@pytest.mark.parametrize("text, message", [
    ("steps:\n  - title: A\n    topics:\n      - {name: X, status: started}\n",
     "content/roadmap.yaml:4: status: expected one of todo, learning, done; got 'started'"),
    ("steps:\n  - title: A\n    topic:\n      - {name: X, status: done}\n",
     "content/roadmap.yaml:3: unknown key 'topic' in a step (did you mean 'topics'?)"),
    ("steps:\n  - title: A\n    topics:\n      - {status: done}\n",
     "content/roadmap.yaml:4: missing 'name'"),
    ("stages:\n  - title: A\n",
     "content/roadmap.yaml:1: unknown key 'stages' in the roadmap (did you mean 'steps'?)"),
    ("steps:\n  - title: A\n    topics: none\n",
     "content/roadmap.yaml:3: topics: expected a list ('- ' lines)"),
    ("steps:\n  - title: A\n    topics:\n      - {name: X, status: done, tags: [[a]]}\n",
     "content/roadmap.yaml:4: tags: expected a list of tag names"),
    ("steps:\n  - title: [A\n",
     "content/roadmap.yaml:2: invalid YAML: did not find expected ',' or ']' at line 3, in the [list] opened here "
     "(close it with ']', items separated by ', ')"),
    ("steps:\n  - title: A\n   - x\n",
     "content/roadmap.yaml:3: invalid YAML: did not find expected '-' indicator "
     "(check indentation, and quote values containing ': ' or '#')"),
])
def test_mistakes_are_errors_with_their_line(site, stufen, text, message):
    root = site({"content/roadmap.yaml": text, "content/posts/a.md": post("A", description="d")})
    code, out, err = stufen(root, "build")
    assert code == 1
    assert err.splitlines() == [message, "Build failed: 1 error"]


def test_check_reports_roadmap_mistakes_too(site, stufen):
    root = site({"content/roadmap.yaml": "steps: 3\n", "content/posts/a.md": post("A", description="d")})
    assert stufen(root, "check") == (1, "content/roadmap.yaml:1: steps: expected a list ('- ' lines)\n"
                                        "Checked 1 file: 1 error, 0 warnings\n", "")
