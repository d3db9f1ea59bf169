"""The `bulletin` command's entry point: an interruption (Ctrl-C, SIGTERM, SIGHUP), even while
the libraries are still being imported, ends with one line and no traceback, after the
writes in progress have removed their temporaries."""

from __future__ import annotations

import signal
import sys

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(BaseException):
    """A signal asked the run to stop; unwinds like KeyboardInterrupt so cleanup runs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    for sig in _SIGNALS:  # a second signal must not cut the cleanup short
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


def _language() -> str:
    fast = sys.modules.get("bulletin.fastcli")
    if fast is not None:
        return fast.state.lang
    from bulletin.i18n import detect_language

    return detect_language()


def main() -> None:
    """Run the command line; exit 128 + the signal's number when interrupted (130 for Ctrl-C)."""
    for sig in _SIGNALS:
        signal.signal(sig, _stop)
    try:
        # `build` and `check` run without importing the command-line framework when their
        # arguments are plain; everything else goes to the typer app.
        from bulletin.console import tolerate_unencodable
        from bulletin.fastcli import dispatch

        tolerate_unencodable()
        code = dispatch(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from bulletin.cli import main as cli_main

        cli_main()
    except (Interrupted, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        from bulletin.i18n import t

        print(t("interrupted", _language()), file=sys.stderr)
        sys.exit(128 + signum)


if __name__ == "__main__":
    main()
