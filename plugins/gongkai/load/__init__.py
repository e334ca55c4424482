"""Load `data/` into the model, collecting every problem instead of stopping at the first.

One record per file; the file name is the record's permanent id. Which kinds there are,
where their files live and which model validates them is said once, in `model.kinds`;
a document also brings its Markdown body and attachments (`documents.py`).

Anything else found under `data/` is reported, so a misplaced or misnamed file is never
silently left out of the site.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from pydantic import ValidationError

from .. import parallel
from ..cache import Cache
from ..containment import outside_message, within
from ..findings import Finding, Findings, Position, SourceMap, error, warning
from ..model import Site
from ..model.fields import ID_PATTERN, ID_RULE, Entry
from ..model.kinds import KINDS, Kind
from ..model.labels import field_label
from ..model.privacy import Found, Unread
from ..model.workdays import HolidayYear, WorkCalendar
from . import kept, messages, personal
from .normalised import normalised
from .siblings import complete_record, sibling_files
from .textfile import MAX_DATA_FILE, decoded, read_text
from .unsafe_html import unsafe_html
from .yamlsource import YamlProblem, parse

E = TypeVar("E", bound=Entry)
Siblings = Callable[[Path, dict], Iterable[Path]]

YAML_SUFFIXES = (".yml", ".yaml")
READ_AHEAD_FROM = 2000
"""Files not read before, at least, for `_read_ahead` to share them with a second process."""
_IGNORED_NAMES = {"README.md"}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What reading one file gave: its record (or None), and what else the loader noted. (With slots: pickling
    one without gives it a dict it keeps, 170 MB at 100,000 documents.)"""

    record: Entry | None
    findings: list[Finding]
    claimed: set[Path]
    personal: list[Found]


_READ: dict[tuple, Outcome] = {}
"""By path, model, id and the file's bytes; `load_site` keeps the entries its last load used."""


@dataclass
class Loader:
    data_dir: Path
    root: Path
    report: Findings = field(default_factory=Findings)
    claimed: set[Path] = field(default_factory=set)
    """Every file some record accounts for; the rest is reported as unrecognised."""
    personal: list[Found] = field(default_factory=list)
    """Personal information in any value read (judged by `rules.privacy`)."""
    unread: list[Unread] = field(default_factory=list)
    """Attachments whose text could not be checked (judged by `rules.privacy`)."""
    cache: Cache = field(default_factory=lambda: Cache(None))
    """What attachments say, kept between builds by the bytes they hold."""
    used: set[tuple] = field(default_factory=set)
    """The keys of `_READ` this load used."""
    folders_inside: dict[Path, bool] = field(default_factory=dict)
    """Whether each folder read from lies in the repository (followed through links), found once a load."""
    listed: dict[Path, list[Path]] = field(default_factory=dict)
    """The YAML files below each folder (`yaml_files`)."""

    def display(self, path: Path) -> str:
        """The path as editors see it in the repository: ``data/units/qzfb.yml``."""
        text, root = str(path), os.path.join(str(self.root), "")  # as text: `relative_to` took 2 s of 100,000 documents' load
        if text.startswith(root):
            return text[len(root):].replace(os.sep, "/")
        return "." if path == self.root else path.as_posix()

    def inside(self, path: Path) -> bool:
        """Whether `path` (followed through any link) stays in the repository; if not, an error.

        Nothing outside the repository is read or published: a link to /proc/self/environ
        would copy the build's secrets into the site.
        """
        if within(path, self.root):
            return True
        self.report.add(error(Position(self.display(path)), outside_message(path)))
        return False

    def read_text(self, path: Path, limit: int) -> str | None:
        """A UTF-8 text file of the repository, or None with the problem reported."""
        if not self.inside(path):
            return None
        text = read_text(path, self.display(path), limit)
        if isinstance(text, str):
            return text
        self.report.add(text)
        return None

    def _decoded(self, raw: bytes, shown: str) -> str | None:
        text = decoded(raw, shown)
        if isinstance(text, str):
            return text
        self.report.add(text)
        return None

    def refuse_unsafe_html(self, data: dict, source: SourceMap, model: type[Entry]) -> None:
        """Script in any value is an error, wherever the value would be shown."""
        for at, text in personal.texts(data):
            if any(c in text for c in "<{[`*_!"):
                line = source.at(at).line
                for offset, column, message in unsafe_html(text):
                    self.report.add(error(Position(source.file, line + offset - 1, column), message, field_label(at, model)))

    def read(self, path: Path, model: type[E], id: str, siblings: Siblings | None = None) -> E | None:
        """One file → one record, or None with the problems added to the report.

        `siblings(path, data)` names the files that belong to the record (a document's body
        and attachments); they are claimed even when the record itself is invalid.

        What reading the same bytes gave is kept in this process (records are frozen): the
        rebuilds of `mkdocs serve` parse and validate again only the files that changed.
        """
        raw = self._plain_bytes(path)
        if raw is None:  # the reader below says what is wrong with it
            return self._read(path, model, id, siblings)
        key = _key(path, model, id, siblings, raw)
        self.used.add(key)
        done = _READ.get(key)
        if done is None:
            done = _READ[key] = self._outcome(path, model, id, siblings, raw)
        self.report.extend(done.findings)
        self.claimed |= done.claimed
        self.personal += done.personal
        return done.record  # type: ignore[return-value]

    def read_ahead(self, job: tuple[Path, type[Entry], str, Siblings | None]) -> tuple[tuple, Outcome] | None:
        """What `read` would keep of a file not read before, with its key in `_READ` (`_read_ahead`)."""
        path, model, id, siblings = job
        raw = self._plain_bytes(path)
        if raw is None or (key := _key(path, model, id, siblings, raw)) in _READ:
            return None
        return key, self._outcome(path, model, id, siblings, raw)

    def _plain_bytes(self, path: Path) -> bytes | None:
        """The bytes of `path` when it is a plain file of the repository within the size limit."""
        try:
            plain = not path.is_symlink() and stat.S_ISREG((st := path.stat()).st_mode) and st.st_size <= MAX_DATA_FILE
            return path.read_bytes() if plain and self._folder_inside(path.parent) else None
        except OSError:
            return None

    def _outcome(self, path: Path, model: type[Entry], id: str, siblings: Siblings | None, raw: bytes) -> Outcome:
        scratch = Loader(self.data_dir, self.root, cache=self.cache)
        return Outcome(scratch._read(path, model, id, siblings, raw), scratch.report.findings, scratch.claimed, scratch.personal)

    def _folder_inside(self, folder: Path) -> bool:
        if folder not in self.folders_inside:
            self.folders_inside[folder] = within(folder, self.root)
        return self.folders_inside[folder]

    def _read(self, path: Path, model: type[E], id: str, siblings: Siblings | None = None, raw: bytes | None = None) -> E | None:
        """`raw`: the bytes of `path`, a plain file of the repository within the size limit, when already read."""
        self.claimed.add(path)
        shown = self.display(path)
        text = self.read_text(path, MAX_DATA_FILE) if raw is None else self._decoded(raw, shown)
        if text is None:
            return None
        try:
            data, source = parse(text, shown)
        except YamlProblem as problem:
            self.report.add(problem.finding)
            return None
        if not isinstance(data, dict):
            self.report.add(error(source.at(), "文件内容应为一组“字段: 值”"))
            return None
        if siblings is not None:
            self.claimed.update(siblings(path, data))
        self.refuse_unsafe_html(data, source, model)
        try:
            record = model.model_validate(data)
        except ValidationError as exc:
            # Personal information is looked for once the record is valid: only then is it
            # known which values the site shows (see Entry.is_published).
            for err in exc.errors():
                label, message = messages.describe(err, model)
                loc = messages.location(err)
                if loc and loc[-1] == "[key]":  # a bad key of a mapping: point at the key itself
                    where = source.key_at(loc[:-1])
                else:
                    where = source.key_at(loc) if err["type"] == "extra_forbidden" else source.at(loc)
                self.report.add(error(where, message, label))
            return None
        self.report.extend(normalised(data, source, model))
        record = record.placed(id, source, path)
        self.personal += (replace(f, published=record.is_published(at)) for at, f in personal.in_values(data, source, model))
        return record

    def collection(
        self,
        folder: str,
        model: type[E] | Callable[[str], type[E]],
        seen: set[str],
        siblings: Siblings | None = None,
        nested: bool = False,
    ) -> dict[str, E]:
        """Every YAML file below `data/<folder>/`, keyed by id (the file name without suffix).

        With `nested`, the id also names the folder the file is in: ``hbjd/hjgl`` for
        ``data/catalogs/units/hbjd/hjgl.yml``. `model` may be a function of the id (a report's
        format depends on its year); it raises ValueError, in Chinese, for an id it cannot take.
        `seen` receives every well-formed id, valid record or not.
        """
        records: dict[str, E] = {}
        first_seen: dict[str, str] = {}
        for path in sorted(self.yaml_files(self.data_dir / folder)):
            id = record_id(path, nested)
            shown = self.display(path)
            if not well_formed(id):
                self.report.add(error(Position(shown), f"“{id}”不能用作编号：文件名和目录名{ID_RULE}"))
                if isinstance(model, type):
                    self.read(path, model, id, siblings)  # still report what else is wrong with it
                else:
                    self.claimed.add(path)
                continue
            if id in first_seen:
                self.claimed.add(path)
                self.report.add(error(Position(shown), f"编号“{id}”重复：{first_seen[id]} 已使用此编号"))
                continue
            first_seen[id] = shown
            seen.add(id)
            try:
                cls = model_for(model, id)
            except ValueError as exc:
                self.claimed.add(path)
                self.report.add(error(Position(shown), str(exc)))
                continue
            record = self.read(path, cls, id, siblings)
            if record is not None:
                records[id] = record
        return records

    def yaml_files(self, folder: Path) -> list[Path]:
        """The YAML files below `folder` (not through links to folders), in the order of their paths' parts (as
        `Path`s sort), listed once a load. Listed and sorted as text: with `Path.rglob` and `sorted`, 8 s of 100,000
        documents' load."""
        if folder not in self.listed:
            self.listed[folder] = self._yaml_files(folder)
        return self.listed[folder]

    @staticmethod
    def _yaml_files(folder: Path) -> list[Path]:
        found: list[str] = []

        def scan(path: str) -> None:
            try:
                with os.scandir(path) as entries:
                    listed = list(entries)
            except OSError:
                return
            for entry in listed:
                if entry.is_dir(follow_symlinks=False):
                    scan(entry.path)
                elif os.path.splitext(entry.name)[1] in YAML_SUFFIXES and _is_file(entry):
                    found.append(entry.path)

        if folder.is_dir():
            scan(str(folder))
        return [Path(path) for path in sorted(found, key=lambda path: path.split(os.sep))]

    def report_unclaimed(self) -> None:
        claimed = {str(path) for path in self.claimed}  # compared as text: 100,000 `Path`s made and hashed took 3 s
        for dirpath, dirnames, filenames in os.walk(self.data_dir):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in dirnames:
                if (Path(dirpath) / name).is_symlink() and self.inside(Path(dirpath) / name):
                    self.report.add(warning(Position(self.display(Path(dirpath) / name)), "指向目录的链接不会读取；请把文件放在实际的目录中"))
            for name in sorted(filenames):
                if name.startswith(".") or name in _IGNORED_NAMES or os.path.join(dirpath, name) in claimed:
                    continue
                path = Path(dirpath) / name
                if not self.inside(path):
                    continue
                self.report.add(
                    warning(Position(self.display(path)), "未识别的数据文件，构建时不会读取；请检查文件所在目录和扩展名（.yml）")
                )


def load_site(
    data_dir: str | os.PathLike, root: str | os.PathLike | None = None, today: datetime.date | None = None
) -> tuple[Site, Findings]:
    """Read and validate every record of every kind (`model.kinds`) under `data_dir`.

    The site holds the records that are valid; the report holds everything that is not.
    """
    data_dir = Path(data_dir).resolve()
    root = Path(root).resolve() if root else data_dir.parent
    loader = Loader(data_dir, root, cache=Cache(root))
    kept.restore(root, _READ)
    _read_ahead(loader)
    site = Site(info=None, today=today or datetime.date.today(), data_path=loader.display(data_dir))
    for kind in KINDS:
        if kind.single:
            setattr(site, kind.attribute, _single(loader, kind))
        else:
            records = loader.collection(kind.path, kind.model, site.ids.setdefault(kind.attribute, set()),
                                        _siblings(kind), kind.nested)
            site.records[kind.attribute] = {id: completed for id, record in records.items()
                                            if (completed := complete_record(record, loader)) is not None}
    site.calendar = WorkCalendar(_holiday_years(site.holidays, loader))
    loader.report_unclaimed()
    _forget_all_but(loader.used)
    kept.note(root, _READ)
    site.personal = loader.personal
    site.unread = loader.unread
    return site, loader.report


def read_record(data_dir: Path, root: Path, path: Path) -> tuple[str, Entry] | None:
    """The record the file `path` holds, read and completed as `load_site` reads it, with its kind's
    `Kind.attribute`; None when the file is not one record of a folder of records, or anything in it is an error.
    (For the preview's first look at an edited record: `quick_preview.py`.)"""
    path = Path(os.path.realpath(path.parent)) / path.name  # as `load_site` finds it (the file itself may not be a link)
    for kind in KINDS:
        folder = data_dir / kind.path
        if kind.single or path.suffix not in YAML_SUFFIXES or folder not in path.parents:
            continue
        if kind.nested and path.parent.parent != folder:
            return None
        id = record_id(path, kind.nested)
        if not well_formed(id):
            return None
        loader = Loader(data_dir, root, cache=Cache(root))
        try:
            model = model_for(kind.model, id)
        except ValueError:
            return None
        record = loader.read(path, model, id, _siblings(kind))
        completed = complete_record(record, loader) if record is not None else None
        return (kind.attribute, completed) if completed is not None and not loader.report.errors else None
    return None


def _key(path: Path, model: type[Entry], id: str, siblings: Siblings | None, raw: bytes) -> tuple:
    return path, model, id, siblings is not None, hashlib.sha256(raw).digest()


def _read_ahead(loader: Loader) -> None:
    """When many of the files a load reads were not read before (an empty cache, new code), read them into `_READ`
    first, every other one in a forked process (`parallel.halves`): parsing and validating is most of a load, one file
    at a time. The load then finds each file's outcome by its bytes, as it finds those kept from an earlier build
    (a file changed in between is read again)."""
    jobs = [job for kind in KINDS if not kind.single for job in _jobs(loader, kind)]
    if len(jobs) - len(_READ) < READ_AHEAD_FROM:
        return
    for read in parallel.halves(loader.read_ahead, jobs, enough=True):
        if read is not None:
            _READ.setdefault(*read)


def _jobs(loader: Loader, kind: Kind) -> Iterator[tuple[Path, type[Entry], str, Siblings | None]]:
    """The files of a kind `Loader.collection` will read, each with what it reads it as (those it only reports, left out)."""
    siblings = _siblings(kind)
    for path in loader.yaml_files(loader.data_dir / kind.path):
        id = record_id(path, kind.nested)
        if not well_formed(id):
            continue
        try:
            yield path, model_for(kind.model, id), id, siblings
        except ValueError:
            continue


def record_id(path: Path, nested: bool) -> str:
    """A record's id: its file's name without suffix, after its folder's name for nested kinds (``hbjd/hjgl``)."""
    return f"{path.parent.name}/{path.stem}" if nested else path.stem


def well_formed(id: str) -> bool:
    return all(ID_PATTERN.fullmatch(part) for part in id.split("/"))


def model_for(model: type[E] | Callable[[str], type[E]], id: str) -> type[E]:
    """The model a record of this id is read as; ValueError, in Chinese, for an id the kind cannot take."""
    return model if isinstance(model, type) else model(id)


def _forget_all_but(used: set[tuple]) -> None:
    for key in _READ.keys() - used:
        del _READ[key]


def _siblings(kind: Kind) -> Siblings | None:
    """The body and attachment files of a record (one model per kind: reports, whose model
    depends on the year, have neither)."""
    return sibling_files(kind.model) if isinstance(kind.model, type) else None


def _holiday_years(holidays: dict[str, HolidayYear], loader: Loader) -> dict[int, HolidayYear]:
    years = {}
    for id, year in holidays.items():
        if len(id) == 4 and id.isdigit():
            years[int(id)] = year
        else:
            loader.report.add(error(year.at(), f"节假日安排的文件名应为年份，例如 2027.yml，而不是“{id}”"))
    return years


def _single(loader: Loader, kind: Kind) -> Entry | None:
    """A record that is one file at the top of `data/`: site.yml, search.yml."""
    for suffix in YAML_SUFFIXES:
        path = loader.data_dir / f"{kind.path}{suffix}"
        if path.is_file():
            assert isinstance(kind.model, type)
            return loader.read(path, kind.model, kind.path)
    if kind.required:
        loader.report.add(error(Position(loader.display(loader.data_dir / f"{kind.path}.yml")), f"缺少{kind.name}文件 {kind.path}.yml"))
    return None


def _is_file(entry: os.DirEntry) -> bool:
    """A file, or a link the build may not follow (into /proc/1/cwd): listed, so that it is reported (`Loader.inside`)."""
    try:
        return entry.is_file()
    except OSError:
        return entry.is_symlink()
