"""The user's cache folder: results that are slow to compute and the same for the same input.

An entry is only ever a shortcut to a result the tool can compute again, so the cache is
kept where the operating system keeps caches (never in the data folder, which is shared
through git), keyed by everything the result depends on, written atomically (two builds at
once never see half an entry), checked when read (a damaged entry is ignored and computed
again), and bounded in size (the least recently used entries go first).

`BULLETIN_NO_CACHE=1` (or `--no-cache`: `switched_off`) turns it off; `BULLETIN_CACHE_DIR` puts
it elsewhere (tests use it).

Beside the entries of a kind, a `StatIndex` may remember what the files behind them
contained, so that an unchanged file need not be read again to find its entry (see there).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

MAGIC = b"bulletin-cache-1\n"
LIMIT_BYTES = 256 * 1024 * 1024  # a few years of photos; the oldest are prepared again
_DIGEST = hashlib.sha256().digest_size
_off = False  # inside switched_off()


@contextlib.contextmanager
def switched_off(off: bool = True):
    """Run the block without the cache (when `off`), as BULLETIN_NO_CACHE=1 does: for
    `--no-cache`, which holds for the whole command, its threads included."""
    global _off
    before = _off
    _off = before or off
    try:
        yield
    finally:
        _off = before


def cache_root() -> Path | None:
    """The cache folder, or None when caching is turned off.

    The platform rules are a few lines, written here rather than adding platformdirs:
    Windows keeps caches under %LOCALAPPDATA%, macOS under ~/Library/Caches, and other
    systems under $XDG_CACHE_HOME (default ~/.cache).
    """
    if _off or os.environ.get("BULLETIN_NO_CACHE", "").strip() not in ("", "0"):
        return None
    override = os.environ.get("BULLETIN_CACHE_DIR", "").strip()
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "bulletin" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "bulletin"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "bulletin"


def key(*parts: str | bytes) -> str:
    """A file name for an entry that depends on `parts` (and nothing else)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """One kind of entry (photos, templates) in its own subfolder of the cache folder."""

    def __init__(self, kind: str, root: Path | None = None, limit: int = LIMIT_BYTES):
        root = root if root is not None else cache_root()
        self.folder = root / kind if root is not None else None
        self.limit = limit

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def get(self, name: str) -> bytes | None:
        """The entry's bytes, or None when it is missing, damaged or unreadable."""
        if self.folder is None:
            return None
        path = self.folder / name
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + _DIGEST
        if not raw.startswith(MAGIC) or len(raw) < head:
            return None
        payload = raw[head:]
        if hashlib.sha256(payload).digest() != raw[len(MAGIC) : head]:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return payload

    def put(self, name: str, payload: bytes) -> None:
        """Store an entry atomically; a cache that cannot be written is simply not used."""
        if self.folder is None:
            return
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, self.folder / name)
            tmp = None
        except OSError:
            return
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        self._prune()

    def _prune(self) -> None:
        """Drop the least recently used entries while the folder is over its limit."""
        assert self.folder is not None
        entries = []
        try:
            with os.scandir(self.folder) as it:
                for entry in it:
                    try:
                        st = entry.stat()
                    except OSError:
                        continue
                    if entry.name.startswith(".tmp-"):
                        if st.st_mtime < time.time() - 3600:  # left by a build that died
                            _unlink(entry.path)
                        continue
                    if entry.name.startswith("."):  # the folder's StatIndex, not an entry
                        continue
                    entries.append((st.st_mtime_ns, st.st_size, entry.path))
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        if total <= self.limit:
            return
        for _, size, path in sorted(entries):
            if total <= self.limit * 0.8:
                break
            _unlink(path)
            total -= size


INDEX_NAME = ".index"
INDEX_FORMAT = "bulletin-stat-index-1"
INDEX_LIMIT = 4096  # files remembered (years of photos); the least recently read go first
# A file whose modification (or change) time is this close to when it was read is "racily
# clean" (git's term): a write in the same tick of the file system's clock would leave its
# stat as it was, so it is read again. 2 s is the coarsest clock a photo may sit on (FAT).
RACY_NS = 2_000_000_000


class StatIndex:
    """What the files read last time contained, as git's index keeps it: a file's path and
    stat (size, modification and change time in ns, inode or file id, device) -> the
    SHA-256 of its content, kept in the cache folder of a kind (its `.index` entry).

    A file whose stat matches its record is taken to hold the content it held then, and is
    not read again; one whose stat differs, or was modified within RACY_NS of being read
    (racily clean), is read and hashed as if unknown. The index is only ever a shortcut:
    lost, damaged (its checksum), written by another version (its format line) or unreadable,
    it is taken as empty and written again; two builds writing it at once each write it
    whole (the last one wins; what the other learnt is learnt again next time)."""

    def __init__(self, store: Cache):
        self.store = store
        self._lock = threading.Lock()  # records come from the threads reading the files
        self._records: dict[str, list] = self._load()
        self._changed = False

    def _load(self) -> dict[str, list]:
        import json

        raw = self.store.get(INDEX_NAME)
        if raw is None:
            return {}
        try:
            head, _, body = raw.partition(b"\n")
            if head.decode("ascii") != INDEX_FORMAT:
                return {}  # another version's index: not understood, so not trusted
            records = json.loads(body)
            if not isinstance(records, dict):
                return {}
            return {
                path: record
                for path, record in records.items()
                if isinstance(record, list)
                and len(record) == 8
                and all(isinstance(n, int) for n in record[:7])
                and isinstance(record[7], str)
            }
        except (UnicodeDecodeError, ValueError):
            return {}

    @staticmethod
    def signature(st: os.stat_result) -> list[int]:
        return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]

    def digest(self, path: str, st: os.stat_result) -> bytes | None:
        """The content's SHA-256 if the file at `path` (absolute), whose stat is `st`, is as
        recorded and was not racily clean when recorded; else None (read it)."""
        with self._lock:
            record = self._records.get(path)
        if record is None or record[:5] != self.signature(st):
            return None
        seen_ns = record[5]
        if max(st.st_mtime_ns, st.st_ctime_ns) > seen_ns - RACY_NS:
            return None  # racily clean: a write in the same tick would not show
        try:
            return bytes.fromhex(record[7])
        except ValueError:
            return None

    def record(self, path: str, st: os.stat_result, seen_ns: int, digest: bytes) -> None:
        """Remember that the file at `path`, whose stat was `st` just before it was read at
        `seen_ns` (time.time_ns()), and unchanged after, holds content hashing to `digest`."""
        with self._lock:
            self._records[path] = [*self.signature(st), seen_ns, time.time_ns(), digest.hex()]
            self._changed = True

    def save(self) -> None:
        """Write the index if anything was recorded: the INDEX_LIMIT most recently recorded
        files."""
        import json

        with self._lock:
            if not self._changed:
                return
            kept = sorted(self._records.items(), key=lambda item: item[1][6])[-INDEX_LIMIT:]
            self._changed = False
        body = json.dumps(dict(kept), separators=(",", ":"))  # ASCII: any file name survives
        self.store.put(INDEX_NAME, INDEX_FORMAT.encode("ascii") + b"\n" + body.encode("ascii"))


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):  # another build may have removed it already
        os.unlink(path)


class CompiledTemplates:
    """For a Jinja environment class: keep the Python code a template compiles to in the
    cache, keyed by the template's text and everything in the environment that shapes the
    code, so a template unchanged since the last run is not parsed and compiled again
    (the document template takes ~20 ms to compile, more than its rendering)."""

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        store = Cache("templates")
        if raw or defer_init or not isinstance(source, str) or not store.enabled:
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[misc]
        entry_name = key(_environment_signature(self), name or "", filename or "", source)
        entry = store.get(entry_name)
        if entry is not None:
            try:
                return marshal.loads(entry)
            except (ValueError, EOFError, TypeError):
                pass  # damaged: compile again
        code = super().compile(source, name, filename, raw, defer_init)  # type: ignore[misc]
        store.put(entry_name, marshal.dumps(code))
        return code


def _environment_signature(env: object) -> str:
    """What decides the code a Jinja environment generates for a text, and what can run it."""
    import jinja2

    options = (
        "block_start_string",
        "block_end_string",
        "variable_start_string",
        "variable_end_string",
        "comment_start_string",
        "comment_end_string",
        "line_statement_prefix",
        "line_comment_prefix",
        "trim_blocks",
        "lstrip_blocks",
        "newline_sequence",
        "keep_trailing_newline",
        "optimized",
        "autoescape",
        "finalize",
        "is_async",
        "sandboxed",
    )
    values = [f"{o}={_describe(getattr(env, o, None))}" for o in options]
    classes = [f"{c.__module__}.{c.__qualname__}" for c in type(env).__mro__]
    extensions = sorted(getattr(env, "extensions", {}))
    return "|".join([f"jinja2 {jinja2.__version__}", sys.version, *classes, *values, *extensions])


def _describe(value: object) -> str:
    """A setting as text that is the same in every run (a function by name, not address)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    return repr(value)
