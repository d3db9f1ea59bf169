"""The `bulletin` command's entry point: an interruption (Ctrl-C, SIGTERM, SIGHUP), even while
the libraries are still being imported, ends with one line and no traceback, after the
writes in progress have removed their temporaries."""

from __future__ import annotations

import importlib
import os
import signal
import sys
import types

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
    fast = sys.modules.get("bulletin.month_commands")
    if fast is not None:
        return fast.state.lang
    from bulletin.i18n import detect_language

    return detect_language()


def _without_pydantic_plugins() -> None:
    """Spare every run pydantic's search for plugins. The first time it builds a model,
    pydantic imports importlib.metadata and reads the metadata of every installed package
    for plugins (about 20 ms of a start-up); the tool uses none. Its plugin loader is
    replaced by one that finds none; anything else pydantic asks of that module comes from
    the real one."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    name = "pydantic.plugin._loader"
    if name in sys.modules:
        return
    loader = types.ModuleType(name)

    def get_plugins() -> tuple:
        return ()

    def real(attr: str) -> object:
        if attr.startswith("__"):  # the import system asking what the module is
            raise AttributeError(attr)
        if sys.modules.get(name) is loader:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attr)

    loader.get_plugins = get_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = real  # type: ignore[attr-defined]
    sys.modules[name] = loader


def main() -> None:
    """Run the command line; exit 128 + the signal's number when interrupted (130 for Ctrl-C)."""
    for sig in _SIGNALS:
        signal.signal(sig, _stop)
    _without_pydantic_plugins()
    try:
        # `build` and `check` run without importing the command-line framework when their
        # arguments are plain; everything else goes to the typer app.
        from bulletin.console import tolerate_unencodable
        from bulletin.fastpath import dispatch

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
