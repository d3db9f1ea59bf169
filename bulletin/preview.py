"""`bulletin preview`: the month's HTML edition served on 127.0.0.1, rendered again whenever
a file of the data folder or a template changes, with the data's problems shown above the
last good rendering.

The library part: a Preview holds the latest rendering and problems and a version number
that the page waits on (a long poll, so it reloads as soon as a rendering is ready);
`serve` binds the loopback address. The command line opens the browser and stops on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import errno
import html as htmlmod
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bulletin.errors import BuildError, BulletinError, Msg, UsageError
from bulletin.models import YearMonth

HOST = "127.0.0.1"
PORTS = range(0, 65536)  # 0: a free one
WAIT_SECONDS = 20.0  # a waiting page asks again after this long
PROBLEMS_STYLE = (
    "margin:0;padding:12px 16px;background-color:#fff3f3;border-bottom:2px solid #c00000;"
    "color:#800000;font-family:monospace;font-size:14px;line-height:1.5;white-space:pre-wrap;"
)
# Reload when the server has a newer rendering; the page waits (a long poll) instead of asking
# again and again. Only the preview has this script, never the edition that is published.
RELOAD_SCRIPT = """<script>
(function () {
  var version = %d;
  function wait() {
    fetch("/__wait?v=" + version, {cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (t) { if (Number(t) !== version) { location.reload(); } else { wait(); } })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
</script>"""


class Preview:
    """The latest rendering of one month and the problems that stopped a newer one."""

    def __init__(self, data_dir: Path, month: YearMonth, templates: Path | None, lang: str):
        self.data_dir, self.month, self.templates, self.lang = data_dir, month, templates, lang
        self.version = 0
        self.good: str | None = None  # the last rendering without problems
        self.problems: list[str] = []
        self._changed = threading.Condition()
        self.ready = threading.Event()  # set once changes are watched

    def refresh(self) -> None:
        """Render the month again; on problems keep the last good rendering and show them."""
        from bulletin import pipeline

        try:
            prepared = pipeline.prepare(self.data_dir, self.month, self.templates)
            edition = pipeline.render_html(prepared, self.data_dir, self.templates)
            good, problems = edition.html, [note.text(self.lang) for note in edition.notes]
        except BulletinError as exc:
            good, problems = self.good, exc.lines(self.lang)
        with self._changed:
            self.good, self.problems = good, problems
            self.version += 1
            self._changed.notify_all()

    def wait(self, version: int, timeout: float = WAIT_SECONDS) -> int:
        """Block until there is a rendering newer than `version` (or `timeout` passes); return
        the current version."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout)
            return self.version

    def page(self) -> str:
        """The page to show: the problems, then the last good rendering, then the reload."""
        with self._changed:
            good, problems, version = self.good, self.problems, self.version
        top = ""
        if problems:
            text = htmlmod.escape("\n".join(problems), quote=False)
            top = f'<section style="{PROBLEMS_STYLE}">{text}</section>'
        body = (
            good or "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>"
        )
        start = body.find(">", body.find("<body")) + 1
        end = body.rfind("</body>")
        return body[:start] + top + body[start:end] + RELOAD_SCRIPT % version + body[end:]

    def watched(self) -> list[Path]:
        """What a change re-renders for: the data folder (the month, project.yaml, the
        project's templates) and the template folders outside it."""
        from bulletin.template_search import builtin_templates

        paths = [self.data_dir]
        for folder in (self.templates, builtin_templates()):
            if folder is not None and folder.is_dir() and self.data_dir not in folder.parents:
                paths.append(folder)
        return paths

    def watch(self, stop: threading.Event) -> None:
        """Render again after every change until `stop` is set; `ready` is set once the
        folders are watched (after rendering once more, for a save made while starting)."""
        import watchfiles

        for changes in watchfiles.watch(
            *self.watched(),
            stop_event=stop,
            debounce=150,
            step=50,
            rust_timeout=500,
            yield_on_timeout=True,  # the first (empty) answer says the watch is in place
            raise_interrupt=False,
        ):
            if changes or not self.ready.is_set():
                self.refresh()
                self.ready.set()


def served_hosts(port: int) -> frozenset[str]:
    """The Host headers the preview answers: this computer's own names for it. A page of
    another site whose name was made to resolve to 127.0.0.1 (DNS rebinding) sends its own
    name, and is refused, as webpack's and Vite's development servers refuse unknown hosts."""
    return frozenset(f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]"))


def _version(given: str) -> int:
    """The version a waiting page names; anything else (`²`, letters, 5,000 digits) is 0."""
    try:
        return int(given) if given.isascii() and given.isdigit() else 0
    except ValueError:  # more digits than Python converts
        return 0


def _handler(
    preview: Preview, report: Callable[[Msg], None] | None
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            host = self.headers.get("Host", "")
            if host.lower() not in served_hosts(self.server.server_address[1]):
                if report is not None:
                    report(Msg("preview_host_refused", {"host": host}))
                self.send_error(HTTPStatus.FORBIDDEN)
                return
            url = urlsplit(self.path)
            if url.path == "/":
                self._send(preview.page(), "text/html; charset=utf-8")
            elif url.path == "/__wait":
                given = parse_qs(url.query).get("v", ["0"])[0]
                self._send(str(preview.wait(_version(given))), "text/plain; charset=utf-8")
            else:  # nothing else is served: no file of the data folder or elsewhere
                self.send_error(HTTPStatus.NOT_FOUND)

        def _send(self, text: str, kind: str) -> None:
            data = text.encode("utf-8")
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            # The browser may have gone away (a reload, a closed tab).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # requests are not news to the user

    return Handler


def serve(
    preview: Preview, port: int, report: Callable[[Msg], None] | None = None
) -> ThreadingHTTPServer:
    """A server for `preview` on 127.0.0.1:`port` (0: a free port); raises UsageError for a
    port that is not one and BuildError when the port is taken. A refused request is passed
    to `report`. The caller runs serve_forever."""
    if port not in PORTS:
        raise UsageError(Msg("port_out_of_range", {"port": port}), Msg("hint_port_range"))
    try:
        server = ThreadingHTTPServer((HOST, port), _handler(preview, report))
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise BuildError(Msg("port_taken", {"port": port}), Msg("hint_port_taken")) from None
        raise BuildError(Msg("port_unusable", {"port": port, "reason": exc.strerror})) from None
    server.daemon_threads = True
    return server
