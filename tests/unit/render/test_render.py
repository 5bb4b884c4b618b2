"""Template errors as the author sees them: the template, its line, relative to the site, once per problem."""

from __future__ import annotations

from conftest import post
from stufen.theme import theme_dir

POSTS = {"content/posts/a.md": post("Alpha", description="A."),
         "content/posts/b.md": post("Beta", date="2024-06-01", description="B.", tags="[x, y]")}
MACROS = (theme_dir() / "templates/partials/macros.html").read_text(encoding="utf-8")


def build_errors(stufen, root) -> list[str]:
    code, _, err = stufen(root, "build")
    assert code == 1
    return [line for line in err.splitlines() if ": warning: " not in line]


def test_an_undefined_attribute_names_the_template_line(site, stufen):
    root = site({**POSTS, "templates/post.html": '{% extends "base.html" %}\n{% block main %}\n'
                                                 '<h1>{{ post.title }}</h1>\n<p>{{ post.nosuchfield }}</p>\n'
                                                 '{% endblock %}\n'})
    assert build_errors(stufen, root) == [
        "templates/post.html:4: template error: 'stufen.model.Post object' has no attribute 'nosuchfield' "
        "(on 2 pages, e.g. /posts/b/)",
        "Build failed: 1 error"]


def test_a_typo_in_a_partial_is_one_problem_at_its_line_with_a_relative_path(site, stufen):
    broken = MACROS.splitlines(keepends=True)
    broken.insert(2, "{{ oops }\n")
    root = site({**POSTS, "templates/partials/macros.html": "".join(broken)})
    errors = build_errors(stufen, root)
    assert errors[1:] == ["Build failed: 1 error"]
    assert errors[0].startswith("templates/partials/macros.html:3: template error: unexpected '}' (on ")
    assert errors[0].endswith(" pages, e.g. /)") and str(root) not in errors[0]


def test_an_error_inside_a_macro_points_into_the_partial_not_the_page(site, stufen):
    root = site({**POSTS, "templates/partials/macros.html": MACROS.replace("{{ post.published|date }}",
                                                                            "{{ post.publishd|date }}", 1)})
    line = MACROS[:MACROS.index("{{ post.published|date }}")].count("\n") + 1
    errors = build_errors(stufen, root)
    assert len(errors) == 2 and errors[0].startswith(f"templates/partials/macros.html:{line}: template error: ")
    assert "'publishd'" in errors[0]


def test_a_missing_include_names_the_including_line(site, stufen):
    root = site({**POSTS, "templates/404.html": '{% extends "base.html" %}\n{% block main %}\n'
                                                '{% include "partials/nope.html" %}\n{% endblock %}\n'})
    assert build_errors(stufen, root) == [
        "templates/404.html:3: template error: template 'partials/nope.html' not found (on /404.html)",
        "Build failed: 1 error"]
