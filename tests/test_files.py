"""Outputs are written whole, as ordinary files the user can share."""

import os
import stat

import pytest

from bpmncx.errors import OutputError
from bpmncx.files import write_atomic


def test_new_output_gets_ordinary_permissions_not_private(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "deep" / "diagram.svg"
        write_atomic(target, b"<svg/>")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"<svg/>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert os.listdir(target.parent) == ["diagram.svg"]


def test_existing_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "report.html"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_unwritable_place_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match=r"file/out\.svg: cannot write here"):
        write_atomic(blocker / "out.svg", b"<svg/>")
