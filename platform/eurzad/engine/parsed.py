"""Definition texts already found sound, remembered by their SHA-256 so that a start does not check them again.

Reading a definition costs about 12 ms: parsing the YAML, checking it against the meta-schema, checking its
JSON Schema against JSON Schema's own meta-schema, checking each condition's shape. All of that depends on the
text alone (and on this code and its libraries), so a text that passed once passes again: its parsed data is
kept in `<instance>/cache/definitions/` as JSON, one file per text, named by the text's digest and by a
fingerprint of everything that decides the verdict (the meta-schemas, the parsing and condition code, the
versions of PyYAML and jsonschema). A changed file, a changed engine or a deleted cache means the checks run
again; nothing is trusted that was not checked by this very code. The rules that depend on workflows.yaml
(departments, routing tables) are never cached: they run at every start.

The cache is an optimisation only: a folder that cannot be written (or a file that cannot be read back) makes
loading slower, never different. It is JSON, not pickle: a file in it can make a start slower but never run code.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import metadata
from pathlib import Path

import orjson

from .sources import Source, parse_source, text_sha256

_FORMAT = "1"  # bumped when what is kept changes shape


def _fingerprint() -> str:
    """What decides whether a text passes the checks that are cached, besides the text itself (and workflows.yaml):
    the engine's code and meta-schemas, and the libraries that parse and validate."""
    digest = hashlib.sha256(_FORMAT.encode())
    engine = Path(__file__).parent
    for path in sorted(engine.rglob("*")):
        if path.suffix in (".py", ".json"):
            digest.update(str(path.relative_to(engine)).encode() + b"\0" + path.read_bytes())
    for library in ("PyYAML", "jsonschema"):
        digest.update(metadata.version(library).encode())
    return digest.hexdigest()[:16]


FINGERPRINT = _fingerprint()


class ParsedCache:
    """The parsed data of definition texts that met the meta-schemas, in one folder (None: remember nothing)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._tidied = False

    def _path(self, digest: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{FINGERPRINT}-{digest}.json"

    def source(self, name: str, text: str) -> Source:
        """The text as a Source: from the cache (marked checked) when it was found sound before, else parsed."""
        if self.folder is not None:
            digest = text_sha256(text)
            try:
                entry = orjson.loads(self._path(digest).read_bytes())  # twice as fast as json: it is most of a start
                data, sound_under = entry["data"], frozenset(entry["sound_under"])
            except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
                pass
            else:
                return Source(name, text, data, checked=True, sha256=digest, sound_under=sound_under)
        return parse_source(name, text)

    def keep(self, source: Source, workflows_sha256: str | None) -> None:
        """Remember a text that has just been built: it met the meta-schemas, and with a workflows file's digest,
        every rule of publishing under that file."""
        if self.folder is None or (source.checked and workflows_sha256 in source.sound_under | {None}):
            return
        sound_under = sorted(source.sound_under | ({workflows_sha256} if workflows_sha256 else set()))
        try:
            text = orjson.dumps({"data": source.data, "sound_under": sound_under})
        except TypeError:
            return  # YAML that JSON cannot carry (a number as a key, !!binary): always parsed
        if orjson.loads(text)["data"] != source.data:
            return  # nor what it would carry inexactly (an infinite number)
        try:
            self.folder.parent.mkdir(exist_ok=True)  # inside an instance folder that exists: never makes one
            self.folder.mkdir(exist_ok=True)
            _write_atomically(self._path(source.sha256), text)
            if not self._tidied:  # what an earlier engine wrote is never read again
                self._tidied = True
                for path in self.folder.glob("*.json"):
                    if not path.name.startswith(f"{FINGERPRINT}-"):
                        path.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only instance folder: the next start checks the text again


def _write_atomically(path: Path, text: bytes) -> None:
    """Another process reading the file sees the whole of it or none (several workers start at once)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


NO_CACHE = ParsedCache(None)
"""Every text parsed and checked in full (tests, previews, a text from git)."""
