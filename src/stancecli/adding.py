"""Registering new source documents (.txt, .pdf, .docx, .html) in a dataset, one or many at once.

Each text is stored beside the other sources as <doc-id>.txt (a PDF, .docx or .html original is
kept beside it under its own suffix), and the document entries (and new organisations) are
inserted into stances.yaml. A batch is all or nothing:

1. every file is read and checked, and the whole batch planned, before anything is written;
2. under the dataset lock, sources are written under temporary names (`.<name>.stancecli-new`)
   and fsynced, then stances.yaml is replaced atomically if no one changed it meanwhile;
3. only then are the sources renamed into place.

A crash before step 2 ends leaves only temporary files, which the next run removes; a crash in
step 3 leaves temporary files the dataset already names, which the next run moves into place.
An identical file a crashed run of the old layout left under the final name is reused.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from stancecli.editing import (
    Addition,
    EditError,
    WriteFailed,
    fsync_folder,
    insert,
    os_failure,
    render_entry,
    write_dataset,
    yaml_date,
)
from stancecli.errors import CurationProblem
from stancecli.extract import SUPPORTED, Extracted, extract, kind_of, normalised
from stancecli.loading import DataError, Problem, is_date, load_dataset, source_allowed
from stancecli.model import ORG_KINDS, Dataset
from stancecli.names import MAX_NEW_ID, usable_new_id
from stancecli.orgproposal import OrgProposal

BUNDLED = Path(__file__).resolve().parent / "bundled"
PENDING_SUFFIX = ".stancecli-new"
MAX_TITLE_CHARS = 160
TITLE_SEARCH_LINES = 12  # non-blank lines: letterhead, addressee, date, then the heading
_HEADING = re.compile(r"(?:høringssvar|høringsuttalelse|høringsuttale|høringsinnspill|høringsnotat|høring|"
                      r"uttalelse|innspill|merknader)\b", re.IGNORECASE)
ORIGINAL_KINDS = ("pdf", "docx", "html")
UNCHANGED = "the dataset and its sources are as they were"


class CurationError(CurationProblem):
    """A request that cannot be carried out; nothing was changed."""


@dataclass
class DocumentRequest:
    """What the user asked add-document for; the options apply to every file."""

    files: list[Path]
    org: str | None = None
    title: str | None = None
    hearing: str | None = None
    date: str | None = None
    year: int | None = None
    doc_id: str | None = None
    reference: str | None = None
    org_name: str | None = None
    org_kind: str | None = None
    org_short: str | None = None


@dataclass
class OrgChoice:
    """Who wrote one document: an organisation id, a new organisation's entry, and what it came from."""

    org_id: str
    entry: dict | None = None
    proposal: OrgProposal | None = None  # set when proposed from the text, not given


@dataclass
class Plan:
    """Everything add-document will write for one file, decided before anything is written."""

    extracted: Extracted
    doc_id: str
    org_id: str
    new_org: bool
    title: str
    text_target: Path
    text: str | None  # None: the .txt is used where it is
    original_target: Path | None
    reused: list[Path] = field(default_factory=list)  # identical files left by a crashed run
    additions: list[Addition] = field(default_factory=list)  # its new organisation (if any), then its document
    entry_spans: list[tuple[int, int]] = field(default_factory=list)  # 1-based first and last lines

    @property
    def source_file(self) -> Path:
        return self.extracted.path

    @property
    def words(self) -> int:
        return self.extracted.words


@dataclass
class Batch:
    """The plans of every file, and stances.yaml before and after."""

    dataset: Path
    old_yaml: str
    new_yaml: str
    plans: list[Plan]


# ---------------------------------------------------------------- reading

def collect_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The documents to add: the files named, and the supported files in the folders named
    (sorted, hidden ones left out). Returns (files, skipped files of a folder)."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
            found = [p for p in inside if kind_of(p) is not None]
            skipped += [p for p in inside if kind_of(p) is None]
            if not found:
                raise CurationError(f"{path}: no {', '.join(SUPPORTED)} files in this folder")
            files += found
        elif not path.exists() and not path.is_symlink():
            raise CurationError(f"{path}: file not found")
        elif not path.is_file():
            raise CurationError(f"{path}: not a file")
        elif kind_of(path) is None:
            raise CurationError(f"{path}: expected one of {', '.join(SUPPORTED)}")
        else:
            files.append(path)
    seen: dict[Path, Path] = {}
    for path in files:
        real = path.resolve()
        if real in seen:
            raise CurationError(f"{path}: named twice (also as {seen[real]})")
        seen[real] = path
    return files, skipped


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_documents(files: list[Path]) -> list[Extracted]:
    """The text of every file; the first that cannot be read stops the batch, named in the message."""
    return [extract(path) for path in files]


# ---------------------------------------------------------------- organisations

def choose_organisations(data_path: Path, request: DocumentRequest, docs: list[Extracted]) -> list[OrgChoice]:
    """The organisation of each document: the one asked for, else a proposal from its text.

    Refuses the batch, naming every such file, when a text names no organisation it can propose.
    """
    dataset, _problems = load_dataset(data_path)
    if request.org is not None:
        org_id, entry = _organisation(dataset, request)
        return [OrgChoice(org_id, entry) for _ in docs]
    if request.org_name or request.org_kind or request.org_short:
        raise CurationError("a new organisation's name, kind and short name need its id as well")
    from stancecli.orgproposal import propose

    choices: list[OrgChoice] = []
    missing: list[str] = []
    for doc in docs:
        proposal = propose(dataset, doc.text)
        if proposal is None:
            missing.append(str(doc.path))
            continue
        entry = ({"id": proposal.org_id, "name": proposal.name, "short": proposal.name, "kind": proposal.kind}
                 if proposal.new else None)
        choices.append(OrgChoice(proposal.org_id, entry, proposal))
    if missing:
        raise CurationError("no organisation could be read from the text of " + ", ".join(missing)
                            + "; name the organisation that wrote it")
    return choices


def _organisation(ds: Dataset, request: DocumentRequest) -> tuple[str, dict | None]:
    from stancecli.names import UnknownName, resolve_org

    org = request.org or ""
    if (request.org_kind or request.org_short) and not request.org_name:
        raise CurationError("a kind or short name describes a new organisation, and it has no name")
    if org in ds.organisations:
        if request.org_name:
            raise CurationError(f"organisation '{org}' already exists, so it is not created again under a new name")
        return org, None
    if not request.org_name:
        try:
            return resolve_org(ds, org), None
        except UnknownName as exc:
            raise CurationError(f"{exc} (a new organisation needs a name and a kind)") from None
    if not usable_new_id(org):
        raise CurationError(f"'{org}' is not a valid id (lower-case letters, digits and '-', "
                            f"at most {MAX_NEW_ID} characters)")
    kind = request.org_kind or "other"
    if kind not in ORG_KINDS:
        raise CurationError(f"the organisation's kind '{kind}' is not one of {', '.join(ORG_KINDS)}")
    name = _one_line(request.org_name, "the organisation's name")
    short = _one_line(request.org_short, "the organisation's short name") if request.org_short else name
    return org, {"id": org, "name": name, "short": short, "kind": kind}


# ---------------------------------------------------------------- deciding

def plan_batch(data_path: Path, request: DocumentRequest, docs: list[Extracted],
               choices: list[OrgChoice], dataset: Dataset | None = None) -> Batch:
    """Check every document against the dataset and decide every file and entry.

    Call it under editing.dataset_lock, so that nothing changes between this and carry_out;
    `dataset` is the dataset at data_path if the caller has just loaded it under that lock.
    """
    refuse_bundled(data_path)
    if request.doc_id and len(docs) > 1:
        raise CurationError("a document id names one document; leave it out when adding several")
    if dataset is None:
        dataset, _problems = load_dataset(data_path)
    date, year = _date_and_year(request.date, request.year)
    folder = sources_folder(dataset)
    known = _known_texts(dataset)
    taken_ids: set[str] = set()
    targets: set[Path] = set()
    plans: list[Plan] = []
    additions: list[Addition] = []
    new_orgs: set[str] = set()
    for doc, choice in zip(docs, choices, strict=True):
        _refuse_duplicate(doc, known)
        org_id, entry = choice.org_id, choice.entry
        doc_id = _document_id(dataset, request.doc_id, org_id, year, taken_ids)
        taken_ids.add(doc_id)
        title = _one_line(request.title, "the title") if request.title else _title_from(doc)
        plan = _targets(doc, folder, doc_id, dataset, org_id, title, targets)
        if entry is not None and org_id not in dataset.organisations and org_id not in new_orgs:
            plan.new_org = True
            plan.additions.append(Addition("organisations", entry))
            new_orgs.add(org_id)
        plan.additions.append(Addition("documents", _document_entry(dataset, request, plan, date, year)))
        additions += plan.additions
        plans.append(plan)
    old_yaml, new_yaml = _render(data_path, plans, additions)
    return Batch(data_path, old_yaml, new_yaml, plans)


def is_bundled(data_path: Path) -> bool:
    """Whether the path is the dataset installed with the package."""
    return BUNDLED in data_path.resolve().parents


def refuse_bundled(data_path: Path) -> None:
    """The dataset installed with the package is never edited (checked before anything, the lock included)."""
    if is_bundled(data_path):
        raise CurationError("the bundled dataset is part of the installed package and is not edited; copy it "
                            "(stances.yaml and its sources) to a folder of your own and add to the copy")


def _date_and_year(date: str | None, year: int | None) -> tuple[str | None, int]:
    if date is not None and not is_date(date):
        raise CurationError(f"the date '{date}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    if date is None and year is None:
        raise CurationError("the document needs a date (YYYY-MM-DD) or a year")
    if year is not None and not 1900 <= year <= 2100:
        raise CurationError(f"the year {year} is not between 1900 and 2100")
    if date is not None and year is not None and int(date[:4]) != year:
        raise CurationError(f"the date {date} is not in the year {year}")
    return date, year if year is not None else int(date[:4])  # type: ignore[index]


def _known_texts(ds: Dataset) -> dict[str, str]:
    """Digest of each existing source's normalised text -> its document id (unreadable ones left out)."""
    out: dict[str, str] = {}
    for doc in ds.documents.values():
        try:
            text = doc.path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        out.setdefault(_digest(text), doc.id)
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()


def _refuse_duplicate(doc: Extracted, known: dict[str, str]) -> None:
    digest = _digest(doc.text)
    if digest in known:
        raise CurationError(f"{doc.path}: the same text as document '{known[digest]}' (line endings and "
                            "spacing aside); not added again")
    known[digest] = f"{doc.path} (earlier in this batch)"


def _document_id(ds: Dataset, wanted: str | None, org_id: str, year: int, taken: set[str]) -> str:
    if wanted:
        if not usable_new_id(wanted):
            raise CurationError(f"the document id '{wanted}' is not a valid id (lower-case letters, digits and '-', "
                                f"at most {MAX_NEW_ID} characters)")
        if wanted in ds.documents:
            raise CurationError(f"a document with id '{wanted}' already exists (line {ds.documents[wanted].line})")
        return wanted
    base, n = f"{org_id}-{year}", 2
    candidate = base
    while candidate in ds.documents or candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _title_from(doc: Extracted) -> str:
    """The document's heading: a "Høringssvar …" line among its first lines (a letterhead often comes
    first: name, address), else its first line, else its file name."""
    lines = [" ".join(line.split()) for line in doc.text.split("\n") if line.strip()]
    headings = [line for line in lines[:TITLE_SEARCH_LINES] if _HEADING.match(line) and not line.endswith(".")]
    first = headings[0] if headings else (lines[0] if lines else "")
    if len(first) > MAX_TITLE_CHARS or len(first.split()) < 2:
        first = doc.path.stem
    return _one_line(first, "the title")


def sources_folder(ds: Dataset) -> Path:
    """Where the other sources are (the most common folder), else <dataset folder>/sources."""
    base = ds.path.parent
    folders = Counter(doc.path.parent for doc in ds.documents.values() if source_allowed(base, doc.path))
    return folders.most_common(1)[0][0] if folders else base.resolve() / "sources"


def _targets(doc: Extracted, folder: Path, doc_id: str, ds: Dataset, org_id: str, title: str,
             taken: set[Path]) -> Plan:
    source = doc.path
    if doc.kind == "text" and doc.verbatim and source_allowed(ds.path.parent, source.resolve()):
        for other in ds.documents.values():
            if other.path == source.resolve():
                raise CurationError(f"{source}: already the source of document '{other.id}' (line {other.line})")
        return Plan(doc, doc_id, org_id, False, title, source.resolve(), None, None)  # used where it is
    plan = Plan(doc, doc_id, org_id, False, title, folder / f"{doc_id}.txt", doc.text, None)
    if doc.kind in ORIGINAL_KINDS and source.resolve().parent != folder:
        suffix = source.suffix.lower() if doc.kind == "html" else f".{doc.kind}"
        plan.original_target = folder / f"{doc_id}{suffix}"
    referenced = {d.path for d in ds.documents.values()}
    for target, content in _writes(plan):
        if target in taken:
            raise CurationError(f"{target}: would be written twice in this batch; give the files other names")
        taken.add(target)
        if target.exists() or target.is_symlink():
            if target.resolve() not in referenced and _same_bytes(target, content):
                plan.reused.append(target)  # an identical orphan left by a crashed run
            else:
                raise CurationError(f"{target}: already exists; choose another document id or move that file away")
    return plan


def _writes(plan: Plan) -> list[tuple[Path, bytes | Path]]:
    """(target, content) of each file a plan writes: text as bytes, an original as the path to copy."""
    out: list[tuple[Path, bytes | Path]] = []
    if plan.text is not None:
        out.append((plan.text_target, plan.text.encode("utf-8")))
    if plan.original_target is not None:
        out.append((plan.original_target, plan.source_file))
    return out


def _same_bytes(target: Path, content: bytes | Path) -> bool:
    try:
        have = target.read_bytes()
        want = content.read_bytes() if isinstance(content, Path) else content
    except OSError:
        return False
    return have == want


def _document_entry(ds: Dataset, r: DocumentRequest, plan: Plan, date: str | None, year: int) -> dict:
    return {
        "id": plan.doc_id,
        "organisation": plan.org_id,
        "title": plan.title,
        "hearing": _one_line(r.hearing, "the hearing") if r.hearing else None,
        "year": year,
        "date": yaml_date(date),
        "reference": _one_line(r.reference, "the reference") if r.reference else None,
        "source": Path(os.path.relpath(plan.text_target, ds.path.parent.resolve())).as_posix(),
    }


def _one_line(text: str | None, option: str) -> str:
    value = " ".join((text or "").split())
    if not value:
        raise CurationError(f"{option} must not be empty")
    from stancecli.output.safe import has_unsafe

    if has_unsafe(value):  # C0/C1 controls, and the bidi controls that would show it reordered
        raise CurationError(f"{option} contains control characters")
    return value


def _render(data_path: Path, plans: list[Plan], additions: list[Addition]) -> tuple[str, str]:
    """stances.yaml before and after, checked: the new entries parse and bring no error."""
    try:
        original = data_path.read_bytes().decode("utf-8")
        edited = insert(original, additions)
    except (EditError, OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"{data_path}: {exc}") from None
    spans = [(first, first + len(render_entry(a.entry)) - 1) for first, a in zip(edited.lines, additions)]
    span_of = {id(a): span for a, span in zip(additions, spans)}
    for p in plans:
        p.entry_spans = [span_of[id(a)] for a in p.additions]
    after = _check_new_entries(data_path, edited.text, spans)
    if any(p.doc_id not in after.documents for p in plans):
        raise CurationError(f"{data_path}: the new entries did not come out as expected; nothing was written")
    return original, edited.text


def _check_new_entries(data_path: Path, new_yaml: str, spans: list[tuple[int, int]]) -> Dataset:
    """Load the edited dataset from a scratch file beside it: the new lines must bring no error."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{data_path.name}.check.", suffix=".yaml", dir=data_path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(new_yaml)
        dataset, problems = load_dataset(Path(tmp))
    except DataError as exc:
        raise CurationError(f"the edited dataset would not load: {exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    mine = [q for q in problems if q.severity == "error" and _in_lines(spans, q)]
    if mine:
        raise CurationError("the new entries have problems; nothing was written: " + "; ".join(map(str, mine)))
    return dataset


def _in_lines(spans: list[tuple[int, int]], problem: Problem) -> bool:
    return any(first <= problem.line <= last for first, last in spans)


# ---------------------------------------------------------------- writing

def pending_name(target: Path) -> Path:
    """Where a source is written before the dataset names it."""
    return target.parent / f".{target.name}{PENDING_SUFFIX}"


def carry_out(batch: Batch) -> None:
    """Write every source under a temporary name, commit stances.yaml, then move the sources into place.

    Call it under editing.dataset_lock, right after plan_batch. On failure before the commit,
    nothing is changed (the temporary files are removed) and the message says so.
    """
    pending = _write_pending(batch)
    try:
        write_dataset(batch.dataset, batch.old_yaml, batch.new_yaml)
    except WriteFailed as exc:
        _remove(pending)
        raise CurationError(os_failure(exc.path, exc.error, UNCHANGED)) from None
    except BaseException:
        _remove(pending)
        raise
    _move_into_place(batch, pending)


def _write_pending(batch: Batch) -> list[tuple[Path, Path]]:
    pending: list[tuple[Path, Path]] = []
    current = batch.dataset
    try:
        for plan in batch.plans:
            for target, content in _writes(plan):
                if target in plan.reused:
                    continue
                current = target
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary = pending_name(target)
                pending.append((temporary, target))
                _write_synced(temporary, content)
        for folder in {t.parent for t, _ in pending}:
            fsync_folder(folder)
    except OSError as exc:
        _remove(pending)
        raise CurationError(os_failure(current, exc, UNCHANGED)) from None
    except BaseException:
        _remove(pending)
        raise
    return pending


def _write_synced(path: Path, content: bytes | Path) -> None:
    import shutil

    with path.open("wb") as out:
        if isinstance(content, Path):
            with content.open("rb") as src:
                shutil.copyfileobj(src, out)
        else:
            out.write(content)
        out.flush()
        os.fsync(out.fileno())


def _remove(pending: list[tuple[Path, Path]]) -> None:
    for temporary, _target in pending:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass


def _move_into_place(batch: Batch, pending: list[tuple[Path, Path]]) -> None:
    for temporary, target in pending:
        try:
            os.replace(temporary, target)
        except OSError as exc:
            ids = ", ".join(p.doc_id for p in batch.plans)
            raise CurationError(f"{target}: {exc.strerror or exc} while moving it into place; the dataset "
                                f"already lists {ids}: run add-document on this dataset again (with any file) "
                                "to finish moving the sources into place") from None
    for folder in {t.parent for t, _ in pending}:
        fsync_folder(folder)


# ---------------------------------------------------------------- recovering

def recover(data_path: Path, dataset: Dataset | None = None) -> list[str]:
    """Finish or undo what an interrupted add-document left behind; call it under dataset_lock.

    Temporary sources the dataset already names are moved into place (the dataset was committed);
    the others, and stray temporary copies of stances.yaml, are removed. Returns what was done.
    """
    from stancecli.loading import display_path

    done: list[str] = []
    real = Path(os.path.realpath(data_path))
    strays = {*real.parent.glob(f".{real.name}.*.tmp"), *data_path.parent.glob(f".{data_path.name}.check.*.yaml")}
    for stray in sorted(strays):
        stray.unlink(missing_ok=True)
        done.append(f"removed {display_path(stray)}, left by an interrupted write")
    try:
        ds = dataset if dataset is not None else load_dataset(data_path)[0]
    except (DataError, OSError):
        return done
    named = {d.path for d in ds.documents.values()}
    for folder in {sources_folder(ds), *(p.parent for p in named)}:
        for temporary in folder.glob(f".*{PENDING_SUFFIX}") if folder.is_dir() else []:
            target = folder / temporary.name[1:-len(PENDING_SUFFIX)]
            if (target in named or target.with_suffix(".txt") in named) and not target.exists():
                os.replace(temporary, target)
                done.append(f"moved {display_path(target)} into place: an interrupted add-document had "
                            "already added its document")
            else:
                temporary.unlink(missing_ok=True)
                done.append(f"removed {display_path(temporary)}, left by an interrupted add-document")
    return done
