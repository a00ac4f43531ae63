"""Registering a new source document (.txt or .pdf) in a dataset.

The text is stored beside the other sources as <doc-id>.txt (a PDF's original is
kept beside it as <doc-id>.pdf), and the document entry (and, when asked, a new
organisation) is inserted into stances.yaml. Nothing is written until every
check has passed; if writing fails, the files already written are removed and
stances.yaml is left as it was.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from stancecli.editing import Addition, EditError, insert, render_entry, write_atomic, yaml_date
from stancecli.errors import CurationProblem
from stancecli.loading import ID_PATTERN, DataError, Problem, is_date, load_dataset, parse_yaml, source_allowed
from stancecli.model import ORG_KINDS, Dataset

BUNDLED = Path(__file__).resolve().parent / "bundled"


class CurationError(CurationProblem):
    """A request that cannot be carried out; nothing was changed."""


@dataclass
class DocumentRequest:
    """What the user asked add-document for."""

    file: Path
    org: str
    title: str
    hearing: str | None = None
    date: str | None = None
    year: int | None = None
    doc_id: str | None = None
    reference: str | None = None
    org_name: str | None = None
    org_kind: str | None = None
    org_short: str | None = None


@dataclass
class Plan:
    """Everything add-document will write, decided before anything is written."""

    dataset: Path
    doc_id: str
    org_id: str
    new_org: bool
    text_target: Path
    text: str | None  # None: the .txt is used where it is
    original_source: Path
    original_target: Path | None
    additions: list[Addition]
    new_yaml: str = ""
    entry_spans: list[tuple[int, int]] = field(default_factory=list)  # 1-based first and last lines

    @property
    def words(self) -> int:
        return len(self.text.split()) if self.text is not None else len(self.text_target.read_text("utf-8").split())


# ---------------------------------------------------------------- deciding

def plan(data_path: Path, request: DocumentRequest) -> Plan:
    """Check the request against the dataset and decide every file and entry."""
    _refuse_bundled(data_path)
    dataset, _problems = load_dataset(data_path)
    source = _checked_file(request.file)
    org_id, new_org = _organisation(dataset, request)
    date, year = _date_and_year(request.date, request.year)
    doc_id = _document_id(dataset, request.doc_id, org_id, year)
    folder = sources_folder(dataset)
    text, text_target, original_target = _text_and_targets(source, folder, doc_id, dataset)
    additions = [Addition("documents", _document_entry(dataset, request, doc_id, org_id, date, year, text_target))]
    if new_org:
        additions.insert(0, Addition("organisations", _organisation_entry(request, org_id)))
    result = Plan(data_path, doc_id, org_id, new_org, text_target, text, source, original_target, additions)
    _render(result)
    return result


def _refuse_bundled(data_path: Path) -> None:
    if BUNDLED in data_path.resolve().parents:
        raise CurationError("the bundled dataset is part of the installed package and is not edited; copy it "
                            "(stances.yaml and its sources) to a folder of your own and give --data")


def _checked_file(path: Path) -> Path:
    if not path.exists():
        raise CurationError(f"{path}: file not found")
    if not path.is_file():
        raise CurationError(f"{path}: not a file")
    if path.suffix.lower() not in (".txt", ".pdf"):
        raise CurationError(f"{path}: expected a .txt or .pdf file")
    return path


def _organisation(ds: Dataset, request: DocumentRequest) -> tuple[str, bool]:
    from stancecli.names import UnknownName, resolve_org

    if (request.org_kind or request.org_short) and not request.org_name:
        raise CurationError("--org-kind and --org-short describe a new organisation: give --org-name too")
    if request.org in ds.organisations:
        if request.org_name:
            raise CurationError(f"organisation '{request.org}' already exists; leave out --org-name")
        return request.org, False
    if not request.org_name:
        try:
            return resolve_org(ds, request.org), False
        except UnknownName as exc:
            raise CurationError(f"{exc} (to add a new organisation, give --org-name and --org-kind)") from None
    if not ID_PATTERN.match(request.org):
        raise CurationError(f"'{request.org}' is not a valid id (lower-case letters, digits and '-')")
    kind = request.org_kind or "other"
    if kind not in ORG_KINDS:
        raise CurationError(f"--org-kind '{kind}' is not one of {', '.join(ORG_KINDS)}")
    return request.org, True


def _date_and_year(date: str | None, year: int | None) -> tuple[str | None, int]:
    if date is not None and not is_date(date):
        raise CurationError(f"--date '{date}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    if date is None and year is None:
        raise CurationError("give --date YYYY-MM-DD (or --year YYYY)")
    if year is not None and not 1900 <= year <= 2100:
        raise CurationError(f"--year {year} is not a year between 1900 and 2100")
    if date is not None and year is not None and int(date[:4]) != year:
        raise CurationError(f"--date {date} is not in --year {year}")
    return date, year if year is not None else int(date[:4])  # type: ignore[index]


def _document_id(ds: Dataset, wanted: str | None, org_id: str, year: int) -> str:
    if wanted:
        if not ID_PATTERN.match(wanted):
            raise CurationError(f"--id '{wanted}' is not a valid id (lower-case letters, digits and '-')")
        if wanted in ds.documents:
            raise CurationError(f"a document with id '{wanted}' already exists (line {ds.documents[wanted].line})")
        return wanted
    base, n = f"{org_id}-{year}", 2
    candidate = base
    while candidate in ds.documents:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def sources_folder(ds: Dataset) -> Path:
    """Where the other sources are (the most common folder), else <dataset folder>/sources."""
    base = ds.path.parent
    folders = Counter(doc.path.parent for doc in ds.documents.values() if source_allowed(base, doc.path))
    return folders.most_common(1)[0][0] if folders else base.resolve() / "sources"


def _text_and_targets(source: Path, folder: Path, doc_id: str, ds: Dataset) -> tuple[str | None, Path, Path | None]:
    from stancecli import pdftext

    if pdftext.is_pdf(source):
        try:
            text = pdftext.extract_text(source)
        except pdftext.PdfError as exc:
            raise CurationError(str(exc)) from None
        inside = source.resolve().parent == folder
        original = None if inside else _free(folder / f"{doc_id}{source.suffix.lower()}")
        return text, _free(folder / f"{doc_id}.txt"), original
    _check_text(source)
    if source_allowed(ds.path.parent, source.resolve()):
        for doc in ds.documents.values():
            if doc.path == source.resolve():
                raise CurationError(f"{source}: already the source of document '{doc.id}' (line {doc.line})")
        return None, source.resolve(), None  # already beside the dataset: used where it is
    return source.read_bytes().decode("utf-8-sig"), _free(folder / f"{doc_id}.txt"), None


def _check_text(source: Path) -> None:
    from stancecli.corpus import SourceError, read_source

    if source.suffix.lower() == ".pdf":
        raise CurationError(f"{source}: named .pdf but is not a PDF")
    try:
        read_source(source)
    except SourceError as exc:
        raise CurationError(str(exc)) from None


def _free(target: Path) -> Path:
    if target.exists():
        raise CurationError(f"{target}: already exists; give another --id or move that file away")
    return target


def _document_entry(ds: Dataset, r: DocumentRequest, doc_id: str, org_id: str, date: str | None,
                    year: int, text_target: Path) -> dict:
    return {
        "id": doc_id,
        "organisation": org_id,
        "title": _one_line(r.title, "--title"),
        "hearing": _one_line(r.hearing, "--hearing") if r.hearing else None,
        "year": year,
        "date": yaml_date(date),
        "reference": _one_line(r.reference, "--reference") if r.reference else None,
        "source": Path(os.path.relpath(text_target, ds.path.parent.resolve())).as_posix(),
    }


def _organisation_entry(r: DocumentRequest, org_id: str) -> dict:
    name = _one_line(r.org_name or "", "--org-name")
    return {"id": org_id, "name": name, "short": _one_line(r.org_short, "--org-short") if r.org_short else name,
            "kind": r.org_kind or "other"}


def _one_line(text: str | None, option: str) -> str:
    value = " ".join((text or "").split())
    if not value:
        raise CurationError(f"{option} must not be empty")
    if re.search(r"[\x00-\x1f\x7f-\x9f]", value):
        raise CurationError(f"{option} contains control characters")
    return value


def _render(p: Plan) -> None:
    """The new stances.yaml text, checked: it parses and has the new entries, without errors."""
    try:
        original = p.dataset.read_bytes().decode("utf-8")
        edited = insert(original, p.additions)
    except (EditError, OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"{p.dataset}: {exc}") from None
    tree = parse_yaml(edited.text.lstrip("\ufeff"), str(p.dataset))
    docs = tree.data.get("documents") if isinstance(tree.data, dict) else None
    if not isinstance(docs, list) or not any(isinstance(d, dict) and d.get("id") == p.doc_id for d in docs):
        raise CurationError(f"{p.dataset}: the new entry did not come out as expected; nothing was written")
    p.new_yaml = edited.text
    p.entry_spans = [(first, first + len(render_entry(a.entry)) - 1) for first, a in zip(edited.lines, p.additions)]


# ---------------------------------------------------------------- writing

def carry_out(p: Plan) -> None:
    """Write the sources, then stances.yaml; undo the sources if stances.yaml cannot be written."""
    written: list[Path] = []
    try:
        if p.text is not None:
            p.text_target.parent.mkdir(parents=True, exist_ok=True)
            _write_new(p.text_target, p.text)
            written.append(p.text_target)
        if p.original_target is not None:
            _copy_new(p.original_source, p.original_target)
            written.append(p.original_target)
        _check_new_entry(p)
        write_atomic(p.dataset, p.new_yaml)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _write_new(target: Path, text: str) -> None:
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _copy_new(source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("xb") as dst:
        shutil.copyfileobj(src, dst)


def _check_new_entry(p: Plan) -> None:
    """Load the edited dataset from a scratch file beside it: the new lines must bring no error."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{p.dataset.name}.check.", suffix=".yaml", dir=p.dataset.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(p.new_yaml)
        _dataset, problems = load_dataset(Path(tmp))
    except DataError as exc:
        raise CurationError(f"the edited dataset would not load: {exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    mine = [q for q in problems if q.severity == "error" and _in_new_lines(p, q)]
    if mine:
        raise CurationError("the new entry has problems; nothing was written:\n" + "\n".join(map(str, mine)))


def _in_new_lines(p: Plan, problem: Problem) -> bool:
    return any(first <= problem.line <= last for first, last in p.entry_spans)
