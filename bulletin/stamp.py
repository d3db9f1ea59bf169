"""The dates a written document carries, so the same data gives the same bytes: the bulletin,
the period report and the workbooks are dated from their data (or SOURCE_DATE_EPOCH), and
their zip entries carry that date and fixed attributes."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime

from bulletin.errors import BuildError, Msg
from bulletin.models import YearMonth


def month_after(last: YearMonth) -> datetime:
    """The first day of the month after `last`: the date of a document about months up to it."""
    nxt = last.next()
    return datetime(nxt.year, nxt.month, 1, tzinfo=UTC)


def timestamp(month_end: datetime) -> datetime:
    """SOURCE_DATE_EPOCH when set, else a date derived from the data (so builds repeat)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return month_end
    # A zip entry holds 1980 to 2107; milliseconds or a date string are mistakes to report.
    if not epoch.isascii() or not epoch.isdigit() or not 315532800 <= int(epoch) < 4354819200:
        raise BuildError(
            Msg("bad_source_date_epoch", {"value": epoch}), Msg("hint_source_date_epoch")
        )
    return datetime.fromtimestamp(int(epoch), UTC)


def zip_entry(name: str, stamp: datetime, stored: bool = False) -> zipfile.ZipInfo:
    """A zip member dated `stamp`, with fixed attributes: deflated, or stored as it is."""
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 0
    return info


def normalise_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip (a workbook openpyxl saved) with every entry dated `stamp` and fixed
    attributes, so equal input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(zip_entry(item.filename, stamp), zin.read(item.filename), compresslevel=6)
    return out.getvalue()
