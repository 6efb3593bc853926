"""Reading input files within bounds; writing output files whole or not at all."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import time

from .errors import OutputError

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there, so no lock is needed
    fcntl = None
from .limits import limit, size_text

_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


# Characters XML 1.0 cannot carry at all (control characters pasted from Excel, lone
# surrogates, U+FFFE/U+FFFF; tab, line feed and carriage return it can). Lone surrogates
# are also how Python holds a file name's bytes that are not UTF-8.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def xml_safe(value: str) -> str:
    """``value`` with every character XML cannot carry written as U+FFFD."""
    return NOT_XML.sub("\ufffd", value)


class InputRefused(Exception):
    """An input file bpmncx will not read; ``str()`` says why, without the path."""


def check_name(path) -> None:
    """InputRefused when an input's path cannot be written into bpmncx's outputs.

    The name goes into every output (the SVG's title, the report's footer, the annotated
    BPMN's journey): refused here, not as an internal error in one of them.
    """
    path = os.fspath(path)
    if _SURROGATE.search(path):
        raise InputRefused("its name is not valid UTF-8 (a file from an older system or "
                           "archive?); rename the file")
    if NOT_XML.search(path):
        raise InputRefused("its name holds control characters, which XML, HTML and Excel "
                           "cannot carry; rename the file")


def _not_regular(mode: int, what: str) -> InputRefused:
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a plain file")
    return InputRefused(f"this is {kind}, not a regular file; bpmncx only reads {what} "
                        "files saved on disk")


def check_regular(path, what: str) -> None:
    """InputRefused when ``path`` is a pipe, device or socket (for inputs another program
    opens, such as DuckDB: a FIFO would block it, /dev/zero never end). A missing file
    or a folder passes: the reader says so in its own words."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise _not_regular(mode, what)


def file_digest(path) -> str:
    """The SHA-256 of a file's bytes, read in pieces (any size, little memory); for
    anything but a regular file (a pipe would block, a device never end) a text no
    file's digest equals, so it is never taken as unchanged: its reader then says what
    is wrong with it."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        return f"not a regular file: {path}"
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for piece in iter(lambda: handle.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def read_input(path, limit_name: str, what: str) -> bytes:
    """The bytes of the regular file at ``path``, at most the limit ``limit_name`` of them.

    Devices, pipes and sockets are refused before a byte is read (``/dev/zero``
    or a FIFO would be read forever), and so is a file larger than the limit.
    Raises :class:`InputRefused` for those, OSError when the file cannot be
    opened (IsADirectoryError for a folder); the caller names the file.
    """
    path = os.fspath(path)
    check_name(path)
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                 | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(info.st_mode, what)
        most = limit(limit_name)
        too_large = InputRefused(
            f"the file is larger than {size_text(most)}, the limit for a {what} file; "
            f"set {limit_name} to a larger number of bytes to read it")
        if info.st_size > most:
            raise too_large
        # Read in chunks up to the limit: the file may have grown since fstat.
        chunks, total = [], 0
        while True:
            chunk = handle.read(min(max(info.st_size, 1 << 16), most + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > most:
                raise too_large
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def write_atomic(path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    An interrupted run leaves either the old file or the new one, never half a file.
    The folder is created if missing; an existing file keeps its permissions.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    remove_stale_temporaries(path)
    temp = None
    # One try from mkstemp on: a Ctrl-C at any point removes the temporary file.
    try:
        os.makedirs(directory, exist_ok=True)
        import tempfile  # not at start-up: it pulls in shutil, random, bz2, lzma

        handle, temp = tempfile.mkstemp(
            dir=directory, prefix=_temp_prefix(path), suffix=_TEMP_SUFFIX
        )
        with os.fdopen(handle, "wb") as out:
            # Held while the file is written: a temporary file nobody holds a lock
            # on was left by a run that was killed (see remove_stale_temporaries).
            if fcntl is not None:
                fcntl.flock(out.fileno(), fcntl.LOCK_EX)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); outputs are ordinary files.
        os.chmod(temp, _file_mode(path))
        os.replace(temp, path)
    except BaseException as error:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
        if isinstance(error, OSError):
            if temp is None:
                raise OutputError(f"{path}: cannot write here: {_why(directory, error)}") from None
            raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
        raise


# What a spreadsheet would run as a formula when it opens a CSV file.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula (names come from
    untrusted files): a leading '=', '+', '-', '@', tab or return gets a quote before it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


_TEMP_SUFFIX = ".tmp"
_TEMP_RANDOM = 8  # characters tempfile.mkstemp puts between prefix and suffix
STALE_AFTER_SECONDS = 60  # a temporary file this old and not locked belongs to a dead run


def _temp_prefix(path: str) -> str:
    return "." + os.path.basename(path) + "."


def remove_stale_temporaries(path) -> list:
    """Remove the temporary files a killed run left beside ``path``; return their paths.

    write_atomic names them ``.NAME.XXXXXXXX.tmp`` and holds a lock on each while
    it writes, so one that is unlocked and a minute old is from a run that died
    (``kill -9``, power cut) and will never be renamed into place.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    prefix = _temp_prefix(path)
    removed = []
    try:
        names = [n for n in os.listdir(directory) if n.startswith(prefix)
                 and n.endswith(_TEMP_SUFFIX)
                 and len(n) == len(prefix) + _TEMP_RANDOM + len(_TEMP_SUFFIX)]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        candidate = os.path.join(directory, name)
        try:
            fd = os.open(candidate, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_AFTER_SECONDS:
                continue
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # being written right now
            os.unlink(candidate)
            removed.append(candidate)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def refuse_to_replace(path, force: bool = False, option: str = "--force") -> None:
    """Raise OutputError when ``path`` is a workbook someone has open, or is read-only.

    LibreOffice keeps ``.~lock.NAME#`` and Excel ``~$NAME`` beside a file it has
    open; replacing the file then loses our work at their next save (theirs
    wins) or theirs (ours wins), without a word to anyone. A read-only file was
    made so on purpose. ``force`` (the ``--force`` option) writes anyway.
    """
    path = os.fspath(path)
    if force or not os.path.lexists(path):
        return
    directory, name = os.path.split(os.path.abspath(path))
    for lock, tool in ((f".~lock.{name}#", "LibreOffice"), (f"~${name}", "Excel"),
                       (f"~${name[2:]}", "Excel")):
        if len(lock) > 2 and os.path.lexists(os.path.join(directory, lock)):
            raise OutputError(
                f"{path}: the workbook is open in {tool} (its lock file {lock} is beside it); "
                f"close it there first, or use {option} to write anyway (saving it in "
                f"{tool} afterwards would undo this)")
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISREG(mode) and not mode & stat.S_IWUSR:
        raise OutputError(f"{path}: the file is read-only; make it writable first, or use "
                          f"{option} to replace it anyway")


NAME_MAX_BYTES = 255  # the longest file name Linux, macOS and Windows file systems take


def safe_file_stem(stem: str, suffix_room: int = 40) -> str:
    """``stem`` short enough that ``stem + suffix`` is a valid file name.

    ``suffix_room`` bytes are kept free for what the caller appends
    (``.cx.bpmn``, ``-report.xlsx``, ...). A longer stem is cut at a character
    boundary and ends in ``~`` and 8 hex digits of its SHA-256, so two long
    names that start alike still give two files, the same ones on every run.
    """
    room = NAME_MAX_BYTES - suffix_room
    encoded = stem.encode("utf-8", "surrogateescape")
    if len(encoded) <= room:
        return stem
    digest = hashlib.sha256(encoded).hexdigest()[:8]
    cut = encoded[:room - len(digest) - 1].decode("utf-8", "ignore")  # drops a split character
    return f"{cut}~{digest}"


def refuse_inputs(outputs, inputs) -> None:
    """Raise OutputError when one of ``outputs`` is one of ``inputs`` (same file on disk)."""
    for output in outputs:
        for source in inputs:
            try:
                same = os.path.samefile(output, source)
            except OSError:  # one of them does not exist (yet)
                continue
            if same:
                raise OutputError(f"{output}: this is the input {source}; refusing to "
                                  "overwrite it, write somewhere else")


def _why(directory: str, error: OSError) -> str:
    """Why a folder cannot be made: name the file standing where a folder should be."""
    parent = directory
    while parent and not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if parent and not os.path.isdir(parent):
        return f"{parent} is a file, not a folder"
    return error.strerror or str(error)


def _file_mode(path: str) -> int:
    """Keep an existing file's permissions; new files get the usual 0666 & ~umask."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
