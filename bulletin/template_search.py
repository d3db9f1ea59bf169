"""Where templates are found: --templates, then the project's own folder, then the built-in one.

The pipeline (the Word template, the overview, the wording), the period report, the
sign-in sheets and the scaffold (`bulletin new`, `bulletin init`) all look templates up here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.errors import BuildError, DataError, Msg, Problem
from bulletin.models import Project

if TYPE_CHECKING:
    from jinja2 import Environment

DOCX_TEMPLATE = "bulletin.docx"
REPORT_TEMPLATE = "report.docx"
EVIDENCE_TEMPLATE = "evidence.docx"
SIGNIN_TEMPLATE = "signin.docx"
OVERVIEW_TEMPLATE = "overview.txt.j2"
WORDING_FILE = "wording.yaml"


def builtin_templates() -> Path:
    """The default templates folder: inside the wheel, or beside the package in a checkout."""
    inside = Path(__file__).parent / "templates"
    return inside if inside.is_dir() else Path(__file__).parents[1] / "templates"


def template_folders(project: Project, data_dir: Path, override: Path | None) -> list[Path]:
    """The folders searched, first match wins: --templates, the project's, the built-in.
    A folder the user names must exist and hold at least one template: a misspelt folder
    would otherwise give the built-in look without a word."""
    folders = []
    if override is not None:
        folders.append(_checked(override, "hint_templates_option"))
    if project.templates:
        folders.append(_project_folder(project.templates, data_dir))
    folders.append(builtin_templates())
    return folders


def _project_folder(name: str, data_dir: Path) -> Path:
    """The folder `templates:` names in project.yaml; a DataError on that line when it is
    missing or holds no template (named as written, relative to project.yaml)."""
    try:
        return _checked(data_dir / name, "hint_templates_project")
    except BuildError as exc:
        from bulletin import yamlfile  # the error path only
        from bulletin.validation import suggestion

        path = data_dir / "project.yaml"
        try:
            line = yamlfile.load(path).line(("templates",))
        except yamlfile.YamlProblems:
            line = 0
        if exc.message.key == "templates_folder_missing":
            beside = [p.name for p in data_dir.iterdir() if p.is_dir() and overridden(p)]
            message = Msg("templates_folder_missing", {"path": name})
            hint = suggestion(name, beside, Msg("hint_templates_project"))
        else:
            message, hint = Msg("templates_folder_empty", {"path": name}), exc.hint
        raise DataError([Problem(path, line, "templates", message, hint)]) from None


def _checked(folder: Path, hint: str) -> Path:
    if not folder.is_dir():
        raise BuildError(Msg("templates_folder_missing", {"path": folder}), Msg(hint))
    if not overridden(folder):
        names = ", ".join(_user_templates(builtin_templates()))
        raise BuildError(
            Msg("templates_folder_empty", {"path": folder}),
            Msg("hint_template_names", {"names": names}),
        )
    return folder


def _user_templates(folder: Path) -> list[str]:
    """The template files a project may replace: every file of the built-in folder, except
    the one `bulletin init` alone uses."""
    found = [
        p.relative_to(folder).as_posix()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "project.yaml.j2"
    ]
    return found


def overridden(folder: Path) -> list[str]:
    """The templates that `folder` replaces (bulletin.docx, month/visits.yaml.j2, ...)."""
    return [name for name in _user_templates(builtin_templates()) if (folder / name).is_file()]


def overrides(project: Project, data_dir: Path, override: Path | None) -> list[tuple[str, Path]]:
    """Each template taken from a user's folder rather than the built-in one, with its path."""
    found: dict[str, Path] = {}
    for folder in template_folders(project, data_dir, override)[:-1]:
        for name in overridden(folder):
            found.setdefault(name, folder / name)
    return sorted(found.items())


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


def render_text(env: Environment, path: Path, names: dict[str, Any]) -> str:
    """A text template (the overview, a month's starter file) read past a byte-order mark and
    filled in by `env`; a BuildError naming the file when it cannot be read or filled."""
    from jinja2 import TemplateError

    try:
        return env.from_string(path.read_text(encoding="utf-8-sig")).render(names)
    except (TemplateError, OSError, UnicodeDecodeError) as exc:
        raise BuildError(Msg("text_template_bad", {"path": path, "problem": exc})) from None
