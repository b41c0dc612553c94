"""An imported WARC file's place in the archive's ``warc/`` folder: the file itself (hard-linked,
or copied where a link cannot be made), or for a plain ``.warc`` its records recompressed as one
gzip member each, so that every record has a (file, offset, length) pointer like the crawl's."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from warcio.exceptions import ArchiveLoadFailed
from warcio.recompressor import Recompressor

from archive.errors import ArchiveError
from archive.temps import temp_path
from archive.warc.pointer import WarcError
from archive.warc.records import DamagedWarc

__all__ = ["WarcNameTaken", "place_warc"]

_CHUNK = 1 << 20


class WarcNameTaken(WarcError):
    """Another, different WARC file already has the name in the archive."""


def place_warc(source: Path, warc_dir: Path) -> Path:
    """The archive's copy of ``source`` in ``warc_dir`` (linked, copied or recompressed there
    atomically when it is not there yet); WarcNameTaken when another file of that name is there."""
    plain = not source.name.endswith(".warc.gz")
    target = warc_dir / (source.name + ".gz" if plain else source.name)
    try:
        warc_dir.mkdir(parents=True, exist_ok=True)
        if target.exists() and os.path.samefile(source, target):
            return target
        temp = temp_path(target)
        try:
            _fill(temp, source, plain)
            if target.exists():
                if _digest(temp) != _digest(target):
                    raise WarcNameTaken(f"{target} already exists and differs from {source}; "
                                     "rename the file to import it")
                return target
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
    except OSError as error:
        raise ArchiveError(f"cannot place {source} in {warc_dir}: "
                           f"{error.strerror or error}") from error
    return target


def _fill(temp: Path, source: Path, plain: bool) -> None:
    """``temp`` made a copy of ``source``: a hard link or a copy, or for a plain WARC its
    records as gzip members (DamagedWarc when it cannot be read)."""
    if not plain:
        try:
            os.link(source, temp)
        except OSError:
            shutil.copyfile(source, temp)
        return
    try:
        with open(source, "rb") as stream:
            Recompressor(str(source), str(temp)).load_and_write(stream, str(temp))
    except (ArchiveLoadFailed, EOFError, ValueError) as error:
        raise DamagedWarc(f"{source.name} cannot be read as a WARC: "
                          f"{' '.join(str(error).split())[:200]}") from error


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


