"""Make the pictures of the bulletin's pages that the Chinese user guide (README.zh-CN.md)
shows: build the example month, convert it to PDF with LibreOffice, render chosen pages at a
low resolution with poppler's pdftoppm, and save them as small palette PNGs in docs/images/.

    python tools/make_guide_images.py

Run it after a change to the template or the example data; commit the PNGs it writes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "images"
MONTH = "2020-02"
DPI = 50
COLOURS = 24
# Picture name -> the heading that starts its page (the first page after the contents that
# has it); None is the cover, page 1.
PAGES = {
    "page-cover.png": None,
    "page-contents.png": "目 录",
    "page-overview.png": "◎ 本月速览 ◎",
    "page-summary.png": "◎ 服务汇总 ◎",
    "page-plan.png": "◎ 服务预告 ◎",
}


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return text.split("\f")


def _choose(texts: list[str]) -> dict[str, int]:
    """Page numbers (from 1) of each picture."""
    contents = next(i for i, text in enumerate(texts) if "目 录" in text.replace("目  录", "目 录"))
    chosen = {}
    for name, heading in PAGES.items():
        if heading is None:
            chosen[name] = 1
        elif heading == "目 录":
            chosen[name] = contents + 1
        else:
            squeezed = heading.replace(" ", "")
            chosen[name] = next(
                i + 1
                for i, text in enumerate(texts)
                if i > contents and squeezed in text.replace(" ", "")
            )
    return chosen


def main() -> int:
    """Write docs/images/page-*.png from the example month."""
    from bulletin.models import YearMonth
    from bulletin.pdf import convert
    from bulletin.pipeline import build

    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        print("needs poppler-utils (pdftoppm, pdftotext)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="bulletin-guide-") as tmp:
        docx = build(REPO / "data", YearMonth(2020, 2), Path(tmp, f"{MONTH}.docx"))
        pdf = convert(docx)
        OUT.mkdir(parents=True, exist_ok=True)
        for name, page in _choose(_page_texts(pdf)).items():
            stem = Path(tmp, "page")
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(DPI),
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
            with Image.open(stem.with_suffix(".png")) as image:
                small = image.convert("RGB").quantize(COLOURS, dither=Image.Dither.NONE)
                small.save(OUT / name, optimize=True)
            print(f"{OUT.relative_to(REPO) / name}: page {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
