"""An edit to a post's prose highlights its code from the last build's blocks (load.posts.code_memo), never
with a stale one: the memo is keyed by the block's language and text, under Stufen's build id and Pygments'."""

from __future__ import annotations

import pickle

import pytest

from conftest import post
from stufen.config import load_config
from stufen.errors import Problems
from stufen.incremental.seal import seal
from stufen.incremental.store import CACHE_DIR, Store, read_sealed
from stufen.load.post import discover
from stufen.load.posts import CODE_MEMO, load_all
from stufen.markdown import highlight

CODE = "```python\ndef area(r):\n    return 3.14 * r ** 2\n```\n\n```sql\nSELECT 1;\n```\n"


def body(root, text: str) -> str:
    (root / "content/posts").mkdir(parents=True, exist_ok=True)
    (root / "content/posts/p.md").write_text(post("P", "2024-01-01", text, description="D."))
    config, problems = load_config(root), Problems()
    store = Store(root / CACHE_DIR)
    posts = load_all(discover(config.content_path, problems), config, store, problems)
    assert not problems.errors
    return posts[0].body_html()


def fresh(root, text: str, tmp_path) -> str:
    """The body as a build with no store makes it."""
    other = tmp_path / "fresh"
    if not other.exists():
        other.mkdir()
        (other / "stufen.toml").write_text((root / "stufen.toml").read_text())
    (other / "content/posts").mkdir(parents=True, exist_ok=True)
    (other / "content/posts/p.md").write_text(post("P", "2024-01-01", text, description="D."))
    config, problems = load_config(other), Problems()
    return load_all(discover(config.content_path, problems), config, Store(None), problems)[0].body_html()


def test_an_edit_to_the_prose_compiles_no_lexer_and_makes_the_same_page(site, tmp_path, monkeypatch):
    root = site({"stufen.toml": 'title = "T"\n'})
    body(root, "First.\n\n" + CODE)
    memo = pickle.loads(read_sealed(root / CACHE_DIR / CODE_MEMO))
    assert sorted(name for name, _ in memo[1]) == ["python", "sql"]

    def no_lexer(name):
        raise AssertionError(f"a lexer for {name} was asked for")
    monkeypatch.setattr(highlight, "_lexer", no_lexer)
    edited = body(root, "First, and a second thought.\n\n" + CODE)
    monkeypatch.undo()
    assert edited == fresh(root, "First, and a second thought.\n\n" + CODE, tmp_path)
    assert 'class="k">def</span>' in edited


def test_changed_code_is_highlighted_anew_and_the_memo_holds_only_the_last_parse(site, tmp_path):
    root = site({"stufen.toml": 'title = "T"\n'})
    body(root, "Text.\n\n" + CODE)
    changed = CODE.replace("3.14", "math.pi")
    assert body(root, "Text.\n\n" + changed) == fresh(root, "Text.\n\n" + changed, tmp_path)
    memo = pickle.loads(read_sealed(root / CACHE_DIR / CODE_MEMO))[1]
    assert all("3.14" not in code for _, code in memo) and len(memo) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps((("another", "stamp"), {})), pickle.dumps(5),
                                    pickle.dumps(("x", "y", "z"))])
def test_a_damaged_or_foreign_memo_is_ignored(site, tmp_path, damage):
    root = site({"stufen.toml": 'title = "T"\n'})
    body(root, "Text.\n\n" + CODE)
    place = root / CACHE_DIR / CODE_MEMO
    place.write_bytes(seal(damage) if damage else place.read_bytes()[:-5])  # sealed but not ours, or torn
    assert body(root, "Other text.\n\n" + CODE) == fresh(root, "Other text.\n\n" + CODE, tmp_path)


def test_a_foreign_memo_with_wrong_blocks_is_never_used(site, tmp_path):
    """A memo made under another build id may hold anything: it must not reach a page."""
    root = site({"stufen.toml": 'title = "T"\n'})
    body(root, "Text.\n\n" + CODE)
    place = root / CACHE_DIR / CODE_MEMO
    stamp, blocks = pickle.loads(read_sealed(place))
    place.write_bytes(seal(pickle.dumps((("0.0.0+other", stamp[1]), {k: "FORGED" for k in blocks}))))
    assert "FORGED" not in body(root, "More text.\n\n" + CODE)
