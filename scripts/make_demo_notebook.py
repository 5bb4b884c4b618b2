"""Writes the demo journal's notebook post, content/posts/2023-10-08-least-squares-notebook.ipynb.

The notebook is made with nbformat, as Jupyter would save it, with outputs a
kernel could have produced: no kernel is needed to make or to build it.
Run: .venv/bin/python scripts/make_demo_notebook.py
"""

from __future__ import annotations

import base64
from io import BytesIO
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from PIL import Image, ImageDraw

TARGET = Path(__file__).resolve().parents[1] / "content/posts/2023-10-08-least-squares-notebook.ipynb"
HOURS = [1, 2, 3, 4, 5, 6, 7, 8]
SCORES = [52, 55, 61, 64, 70, 71, 78, 83]

FRONT_MATTER = """---
title: "Least Squares in a Notebook"
description: "My first notebook post: fitting a line to study hours with NumPy, straight from Jupyter."
pubDatetime: 2023-10-08T17:00:00+02:00
tags: ["machine-learning", "numpy", "notebooks"]
---"""

INTRO = r"""After [doing linear regression by hand](/posts/notes/linear-regression-by-hand/) I wanted
the same fit in code. This post *is* a Jupyter notebook: Stufen turned it into a page.

## The closed form

For a design matrix $X$ (a column of ones and the hours) the least-squares weights are

$$\hat\beta = (X^\top X)^{-1} X^\top y$$

which minimise $\sum_i (y_i - x_i^\top \beta)^2$."""

TABLE = """<div>
<style scoped>
    .dataframe tbody tr th:only-of-type { vertical-align: middle; }
    .dataframe thead th { text-align: right; }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;"><th></th><th>hours</th><th>score</th><th>predicted</th></tr>
  </thead>
  <tbody>
ROWS  </tbody>
</table>
</div>"""

TRACEBACK = [
    "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
    "\x1b[0;31mValueError\x1b[0m                                Traceback (most recent call last)",
    "Cell \x1b[0;32mIn[5], line 1\x1b[0m\n"
    "\x1b[0;32m----> 1\x1b[0m X \x1b[38;5;241m@\x1b[39m scores[:\x1b[38;5;241m5\x1b[39m]",
    "\x1b[0;31mValueError\x1b[0m: matmul: Input operand 1 has a mismatch in its core dimension 0, "
    "with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 5 is different from 8)",
]


def fit() -> tuple[float, float]:
    n = len(HOURS)
    mx, my = sum(HOURS) / n, sum(SCORES) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(HOURS, SCORES, strict=True)) / sum((x - mx) ** 2 for x in HOURS)
    return my - slope * mx, slope


def plot(intercept: float, slope: float) -> bytes:
    """A small scatter plot with the fitted line, drawn with Pillow as matplotlib would have saved it."""
    width, height, pad = 480, 300, 36
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)

    def at(x, y):
        return pad + (x - 0.5) / 8 * (width - 2 * pad), height - pad - (y - 45) / 45 * (height - 2 * pad)

    draw.line([at(0.5, 45), at(8.5, 45)], fill="black", width=1)
    draw.line([at(0.5, 45), at(0.5, 90)], fill="black", width=1)
    draw.line([at(0.5, intercept + slope * 0.5), at(8.5, intercept + slope * 8.5)], fill="#d62728", width=3)
    for x, y in zip(HOURS, SCORES, strict=True):
        cx, cy = at(x, y)
        draw.ellipse([cx - 5, cy - 5, cx + 5, cy + 5], fill="#1f77b4")
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def cells(intercept: float, slope: float) -> list:
    rows = "".join(f"    <tr><th>{i}</th><td>{h}</td><td>{s}</td><td>{intercept + slope * h:.1f}</td></tr>\n"
                   for i, (h, s) in enumerate(zip(HOURS[:5], SCORES[:5], strict=True)))
    plain = "   hours  score  predicted\n" + "".join(
        f"{i}  {h:>5}  {s:>5}  {intercept + slope * h:>9.1f}\n"
        for i, (h, s) in enumerate(zip(HOURS[:5], SCORES[:5], strict=True)))
    png = base64.b64encode(plot(intercept, slope)).decode()
    return [
        new_raw_cell(FRONT_MATTER),
        new_markdown_cell(INTRO),
        new_code_cell(f"import numpy as np\n\nhours = np.array({HOURS!r})\nscores = np.array({SCORES!r})\n"
                      "X = np.column_stack([np.ones_like(hours), hours])\n"
                      "beta = np.linalg.solve(X.T @ X, X.T @ scores)\nprint(f\"intercept {beta[0]:.2f}, "
                      "slope {beta[1]:.2f}\")", execution_count=1,
                      outputs=[new_output("stream", name="stdout",
                                          text=f"intercept {intercept:.2f}, slope {slope:.2f}\n")]),
        new_markdown_cell("Each extra hour of study is worth about "
                          f"{slope:.1f} points. The first rows, with the model's prediction:"),
        new_code_cell("import pandas as pd\n\ndf = pd.DataFrame({\"hours\": hours, \"score\": scores,\n"
                      "                   \"predicted\": X @ beta})\ndf.head()", execution_count=2,
                      outputs=[new_output("execute_result", execution_count=2,
                                          data={"text/html": TABLE.replace("ROWS", rows), "text/plain": plain})]),
        new_code_cell("import matplotlib.pyplot as plt\n\nplt.scatter(hours, scores)\n"
                      "plt.plot(hours, X @ beta, color=\"C3\")\nplt.show()", execution_count=3,
                      outputs=[new_output("display_data", data={"image/png": png,
                                                                "text/plain": "<Figure size 480x300 with 1 Axes>"})]),
        new_markdown_cell("## A mistake worth keeping\n\nMy first try multiplied by the wrong slice. "
                          "NumPy's message says exactly which dimensions disagree:"),
        new_code_cell("X @ scores[:5]", execution_count=5,
                      outputs=[new_output("error", ename="ValueError", evalue=TRACEBACK[-1].split(": ", 1)[1],
                                          traceback=TRACEBACK)]),
        new_markdown_cell("Next: the same fit with gradient descent, and why it needs scaled features."),
    ]


def main() -> None:
    notebook = new_notebook(cells=cells(*fit()), metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.4", "pygments_lexer": "ipython3"},
    })
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"  # stable ids: rerunning this script changes no byte
    nbformat.validate(notebook)
    TARGET.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
