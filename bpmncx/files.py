"""Writing output files whole or not at all."""

from __future__ import annotations

import os
import tempfile

from .errors import OutputError


def write_atomic(path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    An interrupted run leaves either the old file or the new one, never half a file.
    The folder is created if missing; an existing file keeps its permissions.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    temp = None
    # One try from mkstemp on: a Ctrl-C at any point removes the temporary file.
    try:
        os.makedirs(directory, exist_ok=True)
        handle, temp = tempfile.mkstemp(
            dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp"
        )
        with os.fdopen(handle, "wb") as out:
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
