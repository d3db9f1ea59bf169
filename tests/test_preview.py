"""bulletin preview: the HTML edition served on 127.0.0.1, rendered again on every save, the
data's problems above the last good rendering, a taken port refused, Ctrl-C one line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bulletin.models import YearMonth
from bulletin.preview import Preview, serve
from tests.test_cli import run


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def _break_a_town(data: Path) -> None:
    visits = data / "2020-02" / "visits.yaml"
    visits.write_text(visits.read_text(encoding="utf-8").replace("民众镇", "民众乡", 1), "utf-8")


def test_problems_are_shown_above_the_last_good_rendering(example: Path) -> None:
    shown = Preview(example, YearMonth(2020, 2), None, "en")
    shown.refresh()
    assert shown.problems == [] and shown.version == 1
    page = shown.page()
    assert "黄小姐" in page and "民众镇" in page and "var version = 1;" in page
    _break_a_town(example)
    shown.refresh()
    page = shown.page()
    problem = (
        f"{example}/2020-02/visits.yaml:4: visits[0].town: '民众乡' is not a known town "
        "(did you mean 民众镇?)"
    )
    assert shown.problems == [problem, "1 error in 1 file"]
    top = page.index("民众乡")
    assert top < page.index("◎ 本月速览 ◎") < page.index("黄小姐")  # last good rendering below
    assert shown.wait(1, timeout=0) == 2


def test_only_the_page_is_served(example: Path) -> None:
    shown = Preview(example, YearMonth(2020, 2), None, "zh")
    shown.refresh()
    server = serve(shown, 0)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert server.server_address[0] == "127.0.0.1"
        status, page = _get(base + "/")
        assert status == 200 and "◎ 本月速览 ◎" in page
        for path in ("/project.yaml", "/2020-02/visits.yaml", "/../data/project.yaml", "/x"):
            assert _get(base + path)[0] == 404, path
        assert _get(base + "/__wait?v=0")[1] == "1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "port {port} on 127.0.0.1 is taken by another program\n"
            "  choose another with --port, or leave --port out to use a free one\n",
        ),
        (
            "zh",
            "127.0.0.1 的 {port} 端口已被其他程序占用\n"
            "  请用 --port 换一个端口，或不写 --port 使用任一空闲端口\n",
        ),
    ],
)
def test_a_taken_port_is_refused(example: Path, lang: str, message: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(
            "--lang", lang, "preview", "2020-02", "--port", str(port), "--no-open",
            "--data", str(example),
        )  # fmt: skip
    assert (result.exit_code, result.output) == (1, message.format(port=port))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _until(check, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _page_if(url: str, wanted) -> str:
    page = _get(url)[1]
    return page if wanted(page) else ""


def start_preview(data: Path, port: int) -> subprocess.Popen:
    """`bulletin preview` in its own process, as a user starts it; returns once it serves."""
    env = {**os.environ, "LANG": "C", "LANGUAGE": ""}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from bulletin.__main__ import main; main()", "preview",
         "2020-02", "--port", str(port), "--no-open", "--data", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip

    def serving() -> bool:
        try:
            return _get(f"http://127.0.0.1:{port}/")[0] == 200
        except OSError:
            return False

    assert _until(serving, 30), proc.stderr.read() if proc.poll() is not None else "not up"
    return proc


def stop_preview(proc: subprocess.Popen, port: int) -> str:
    """Ctrl-C; returns what it printed, after checking it ended well and freed the port."""
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a new server binds
        s.bind(("127.0.0.1", port))  # free again: nothing listens there
        s.listen()
    return out + err


def test_the_page_follows_the_data_and_ctrl_c_stops_with_one_line(example: Path) -> None:
    port = _free_port()
    proc = start_preview(example, port)
    try:
        url = f"http://127.0.0.1:{port}/"
        _break_a_town(example)
        page = _until(lambda: _page_if(url, lambda p: "民众乡" in p), 5)
        assert "民众乡' is not a known town (did you mean 民众镇?)" in page
        assert "1\t" not in page and "黄小姐" in page  # the last good rendering stays
        visits = example / "2020-02" / "visits.yaml"
        visits.write_text(visits.read_text("utf-8").replace("民众乡", "东凤镇", 1), "utf-8")
        page = _until(lambda: _page_if(url, lambda p: "民众乡" not in p), 5)
        assert page.count("东凤镇") > 1 and "not a known town" not in page
    finally:
        printed = stop_preview(proc, port)
    assert printed == (
        f"previewing 2020-02 at http://127.0.0.1:{port}/ (it reloads on every save; "
        "Ctrl-C stops)\npreview stopped\n"
    )


def _get_as(port: int, path: str, host: str) -> tuple[int, str]:
    """GET `path` from the preview with the Host header a browser would send for `host`."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        conn.close()


def test_only_this_computers_names_are_answered(example: Path) -> None:
    """DNS rebinding: a page of another site whose name resolves to 127.0.0.1 sends its own
    name as Host and is refused, with a line on the terminal; the page itself still works."""
    before = sorted(p.relative_to(example) for p in example.rglob("*"))
    port = _free_port()
    proc = start_preview(example, port)
    try:
        for host in (
            f"127.0.0.1:{port}",
            f"localhost:{port}",
            f"LOCALHOST:{port}",
            f"[::1]:{port}",
        ):
            status, page = _get_as(port, "/", host)
            assert status == 200 and "◎ 本月速览 ◎" in page, host
        for host in (f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}", ""):
            status, page = _get_as(port, "/", host)
            assert status == 403 and "黄小姐" not in page, host
        assert _get_as(port, "/__wait?v=0", f"rebind.example:{port}")[0] == 403
    finally:
        printed = stop_preview(proc, port)
    refused = [
        f"refused a request for host '{host}': the preview answers only 127.0.0.1, localhost "
        "and [::1] with its port (a web page of another site may be trying to read it)"
        for host in (f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}", "",
                     f"rebind.example:{port}")
    ]  # fmt: skip
    assert printed.splitlines() == [
        f"previewing 2020-02 at http://127.0.0.1:{port}/ (it reloads on every save; Ctrl-C stops)",
        *refused,
        "preview stopped",
    ]
    assert sorted(p.relative_to(example) for p in example.rglob("*")) == before


@pytest.mark.parametrize("version", ["²", "٣x", "1" * 5000, "-1", ""])
def test_a_strange_version_is_waited_on_as_zero(example: Path, version: str) -> None:
    from urllib.parse import quote

    shown = Preview(example, YearMonth(2020, 2), None, "en")
    shown.refresh()
    server = serve(shown, 0)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/__wait?v={quote(version)}"
        assert _get(url) == (200, "1")
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "{port} is not a port: a port is a number from 1 to 65535\n"
            "  leave --port out to use a free one\n",
        ),
        (
            "zh",
            "{port} 不是端口号：端口号是 1 到 65535 之间的数\n  不写 --port 即可使用任一空闲端口\n",
        ),
    ],
)
@pytest.mark.parametrize("port", [70000, 65536, -1])
def test_a_port_out_of_range_is_a_usage_error(
    example: Path, lang: str, message: str, port: int
) -> None:
    before = sorted(p.relative_to(example) for p in example.rglob("*"))
    result = run(
        "--lang", lang, "preview", "2020-02", "--port", str(port), "--no-open",
        "--data", str(example),
    )  # fmt: skip
    assert (result.exit_code, result.output) == (2, message.format(port=port))
    assert sorted(p.relative_to(example) for p in example.rglob("*")) == before
