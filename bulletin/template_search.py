"""Where templates are found: --templates, then the project's own folder, then the built-in one.

The pipeline (the Word template, the overview, the wording) and the month scaffold
(`bulletin new`, `bulletin init`) all look templates up here.
"""

from __future__ import annotations

from pathlib import Path

from bulletin.errors import BuildError, Msg
from bulletin.models import Project

DOCX_TEMPLATE = "bulletin.docx"
OVERVIEW_TEMPLATE = "overview.txt.j2"
WORDING_FILE = "wording.yaml"


def builtin_templates() -> Path:
    """The default templates folder: inside the wheel, or beside the package in a checkout."""
    inside = Path(__file__).parent / "templates"
    return inside if inside.is_dir() else Path(__file__).parents[1] / "templates"


def template_folders(project: Project, data_dir: Path, override: Path | None) -> list[Path]:
    """The folders searched, first match wins: --templates, the project's, the built-in."""
    folders = []
    if override is not None:
        folders.append(override)
    if project.templates:
        folders.append(data_dir / project.templates)
    folders.append(builtin_templates())
    return folders


def find_template(name: str, project: Project, data_dir: Path, override: Path | None) -> Path:
    """The first file called `name` in the search path; raises BuildError listing the paths
    searched when there is none."""
    searched = []
    for folder in template_folders(project, data_dir, override):
        candidate = folder / name
        searched.append(str(candidate))
        if candidate.is_file():
            return candidate
    raise BuildError(Msg("template_missing", {"name": name, "paths": "; ".join(searched)}))
