"""Reading the files of a rule pack safely: regular files inside the pack folder, bounded.

A pack may come from a vendor, so its folder is read as untrusted input: every file must be a
regular file whose real path lies inside the pack folder (a symbolic link to a file elsewhere,
a FIFO, a device or a folder named ``x.toml`` is a :class:`~flexsecure.PackError`), at most
:data:`MAX_FILE_BYTES` long and nested at most :data:`MAX_DEPTH` levels deep, and a folder
holds at most :data:`MAX_FILES` TOML files. Files are opened without blocking, so a FIFO
swapped in after the check cannot hang the loader.
"""

from __future__ import annotations

import os
import stat
import tomllib
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from flexsecure.values.errors import PackError

__all__ = ["MAX_DEPTH", "MAX_FILES", "MAX_FILE_BYTES", "read_toml", "toml_files"]


MAX_FILE_BYTES = 4 * 1024 * 1024
"""The largest pack file accepted (4 MiB; the bundled files are under 64 KiB)."""
MAX_FILES = 256
"""The most TOML files a pack folder (or its reforms folder) may hold."""
MAX_DEPTH = 16
"""The deepest nesting of tables and arrays a pack file may have."""


def _regular_bytes(file: Traversable, label: str, root: Path | None) -> bytes:
    """The bytes of ``file``, which must be a regular file inside ``root`` (the pack folder):
    no symbolic link out of it, no FIFO, device or folder, at most MAX_FILE_BYTES."""
    if root is None or not isinstance(file, Path):
        if not file.is_file():
            raise PackError(label, "(file)", "is not a regular file")
        data = file.read_bytes()
    else:
        try:
            resolved = file.resolve(strict=True)
        except (OSError, RuntimeError):
            raise PackError(
                label, "(file)", "cannot be resolved (a broken or looping link)"
            ) from None
        if not resolved.is_relative_to(root):
            raise PackError(label, "(file)", "is a symbolic link out of the pack folder")
        try:
            fd = os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as error:
            raise PackError(label, "(file)", f"cannot be opened: {error.strerror}") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise PackError(label, "(file)", "is not a regular file (a FIFO, device or folder)")
            if info.st_size > MAX_FILE_BYTES:
                raise PackError(label, "(size)", f"larger than {MAX_FILE_BYTES} bytes")
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise PackError(label, "(size)", f"larger than {MAX_FILE_BYTES} bytes")
    return data


def _depth(value: object) -> int:
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return deepest


def read_toml(file: Traversable, label: str, root: Path | None = None) -> dict[str, Any]:
    """The TOML table of pack file ``file`` (see the module docstring); ``label`` names it in
    errors, ``root`` is the resolved pack folder it must lie in (``None`` for package data)."""
    data = _regular_bytes(file, label, root)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackError(label, "(encoding)", "not UTF-8 text") from None
    try:
        result = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PackError(label, "(syntax)", f"not valid TOML: {error}") from None
    except RecursionError:
        raise PackError(label, "(nesting)", f"nested deeper than {MAX_DEPTH} levels") from None
    if _depth(result) > MAX_DEPTH:
        raise PackError(label, "(nesting)", f"nested deeper than {MAX_DEPTH} levels")
    return result


def toml_files(folder: Traversable, label: str) -> list[Traversable]:
    """The ``*.toml`` entries of ``folder`` (files or not: reading checks them), sorted, at
    most MAX_FILES of them."""
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    if len(files) > MAX_FILES:
        raise PackError(label, "(files)", f"more than {MAX_FILES} TOML files")
    return files
