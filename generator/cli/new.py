"""The ``new`` command group: scaffold an entry, or add a reference.

``new TYPE "Title"`` writes a scaffold with TODO markers and lists existing
entries worth linking; ``new reference SOURCE`` adds a BibTeX entry to
``kb/references.bib`` in the canonical form. Both refuse to overwrite or
duplicate what exists.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

import click

from generator.cli.common import KB_OPTION, say
from generator.contrib.references import (
    ARXIV_RE,
    DOI_RE,
    BadReference,
    Reference,
    check_entry,
    format_entry,
    from_bibtex,
    from_fields,
    insert,
    normalise_doi,
    normalise_eprint,
    unpaired_brace_fields,
)
from generator.contrib.scaffold import link_hint, related_entries, scaffold
from generator.findings import visible
from generator.load.bibtex import MAX_BIB_BYTES
from generator.load.files import LINK_MESSAGE, TOO_LARGE_MESSAGE, KbNotFound, kb_base, read_limited, walk_kb
from generator.load.yamlstrict import MAX_BYTES, YamlProblem, decode, parse
from generator.models import FOLDERS
from generator.validate.schema import BIB_FILE
from generator.write.files import OutsideRoot, write_atomic

NEXT_STEPS = (
    "Next: replace every TODO in {path}, then run 'make kb-check' "
    "(or: python -m generator validate && python -m generator fmt {path})."
)


@click.group(name="new")
def new() -> None:
    """Start a new entry (TYPE "Title") or add a reference (reference SOURCE)."""


def _entity_command(kind: str) -> click.Command:
    @click.command(
        name=kind,
        help=f"Scaffold a new {kind} titled TITLE, with TODO markers to fill in.",
        short_help=f"Scaffold a new {kind}.",
    )
    @click.argument("title")
    @KB_OPTION
    def command(title: str, kb_root: Path) -> None:
        try:
            rel, text = scaffold(kind, title)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="TITLE") from None
        base = _kb_base(kb_root)
        path = kb_root / rel
        eid = path.stem
        files, refused = walk_kb(base)
        existing = {p.stem: p.as_posix() for p in files if len(p.relative_to(base).parts) == 2}
        existing.update({PurePosixPath(r.rel).stem: r.path for r in refused if r.rel.count("/") == 1})
        if eid in existing:
            say(f"error: id '{eid}' already exists in {existing[eid]}; choose another title.")
            raise SystemExit(1)
        try:
            write_atomic(path, text, root=kb_root)
        except OutsideRoot as exc:
            say(f"error: {visible(str(exc))}.")
            raise SystemExit(1) from None
        click.echo(visible(str(path)))
        related = [r for r in related_entries(title, _existing_entries(base, files)) if r[1] != eid]
        if related:
            say("Related entries you may want to link:")
            for other_kind, other_id, other_title in related:
                say(f"  {other_kind} {other_id}: {visible(other_title)}{link_hint(kind, other_kind)}")
        say(NEXT_STEPS.format(path=path))

    return command


for _kind in FOLDERS:
    new.add_command(_entity_command(_kind))


def _kb_base(kb_root: Path) -> Path:
    try:
        return kb_base(kb_root)
    except KbNotFound as exc:
        raise click.UsageError(str(exc)) from None


def _existing_entries(base: Path, files: list[Path]) -> list[tuple[str, str, str]]:
    """``(type, id, title)`` of every entry that parses (others are skipped); links are never read."""
    out = []
    by_folder = {folder: kind for kind, folder in FOLDERS.items()}
    for path in files:
        parts = path.relative_to(base).parts
        kind = by_folder.get(parts[0]) if len(parts) == 2 and parts[1].endswith(".yaml") else None
        if kind is None:
            continue
        try:
            raw = read_limited(path, MAX_BYTES)
            data = parse(raw).data if raw is not None else None
        except (OSError, YamlProblem):
            continue
        if isinstance(data, dict) and isinstance(data.get("title"), str):
            out.append((kind, path.stem, data["title"]))
    return out


# -------------------------------------------------------------- references

_OFFLINE_HELP = """\
cannot look up {what} here: the generator works offline and never fetches metadata.
Either copy the BibTeX from {url} (publishers and arXiv have a "Cite" or "Export BibTeX" link),
save it as entry.bib and run:
  python -m generator new reference entry.bib     (or paste it into: python -m generator new reference -)
or give the fields yourself, checked against the paper:
  python -m generator new reference {source} --title "..." --author "Last, First" --author "Last, First" \\
      --year 2024 --journal "..."   (or --booktitle "..." for a conference paper)"""


def _read_source(source: str) -> str | None:
    """BibTeX text from '-', a file or the argument itself; None for an identifier."""
    if source.lstrip().startswith("@"):
        return source
    path = Path(source)
    if source == "-":  # standard input, bounded like a file: it may never end (< /dev/zero)
        data: bytes | None = sys.stdin.buffer.read(MAX_BYTES + 1)
        data = data if data is not None and len(data) <= MAX_BYTES else None
        source = "standard input"
    elif path.is_file():
        data = read_limited(path, MAX_BYTES, follow=True)
    else:
        return None
    if data is None:
        raise BadReference(f"'{source}' is larger than {MAX_BYTES:,} bytes; give one entry at a time")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadReference(f"'{source}' is not UTF-8 text") from None


@new.command(name="reference", short_help="Add a reference to the bibliography.")
@click.argument("source")
@click.option("--key", help="Citation key (default: <lastname><year><firstsignificantword>).")
@click.option("--type", "entry_type", help="Entry type for --title/--author input, e.g. article, inproceedings, misc.")
@click.option("--title", help="Title, as printed on the paper.")
@click.option("--author", "authors", multiple=True, help='An author as "Last, First"; repeat for each author.')
@click.option("--year", help="Year of publication (four digits).")
@click.option("--journal", help="Journal name (makes an @article).")
@click.option("--booktitle", help="Proceedings title (makes an @inproceedings).")
@click.option("--publisher", help="Publisher.")
@click.option("--url", help="http(s) URL of the work, if it has no DOI or arXiv id.")
@click.option("--dry-run", is_flag=True, help="Print the entry; do not write the bibliography.")
@KB_OPTION
def reference(
    source: str,
    key: str | None,
    entry_type: str | None,
    title: str | None,
    authors: tuple[str, ...],
    year: str | None,
    journal: str | None,
    booktitle: str | None,
    publisher: str | None,
    url: str | None,
    dry_run: bool,
    kb_root: Path,
) -> None:
    """Add a reference to references.bib, in the canonical form, sorted by key.

    SOURCE is a BibTeX file, '-' to read BibTeX from standard input, a BibTeX
    entry in quotes, or a DOI or arXiv id together with --title, --author,
    --year and --journal or --booktitle. Nothing is looked up online.
    Prints the key to cite; refuses a key, DOI, arXiv id or title that is
    already in the bibliography.
    """
    bib_path = _kb_base(kb_root) / BIB_FILE
    if bib_path.is_symlink():
        say(f"error: {visible(str(bib_path))}: file {LINK_MESSAGE}")
        raise SystemExit(1)
    if not bib_path.is_file():
        raise click.UsageError(f"bibliography '{bib_path}' not found")
    given = {
        "title": title or "",
        "author": " and ".join(authors),
        "year": year or "",
        "journal": journal or "",
        "booktitle": booktitle or "",
        "publisher": publisher or "",
        "url": url or "",
    }
    try:
        refs = _references_from(source, entry_type, given, key)
    except BadReference as exc:
        say(f"error: {exc}")
        raise SystemExit(1) from None
    raw = read_limited(bib_path, MAX_BIB_BYTES)
    try:
        if raw is None:
            raise YamlProblem("file-too-large", TOO_LARGE_MESSAGE)
        text = decode(raw, MAX_BIB_BYTES)
    except YamlProblem as exc:
        say(f"error: {visible(str(bib_path))}:{exc.line}:{exc.col}: {exc.message}")
        raise SystemExit(1) from None
    for ref in refs:
        errors, warnings = check_entry(ref)
        if errors:
            for message in errors:
                say(f"error: {message}")
            say("Nothing was written; add the missing fields and run the command again.")
            raise SystemExit(1)
        for message in warnings:
            say(f"warning: {message}")
        if ref.dropped:
            say(f"note: left out {', '.join(ref.dropped)} (not kept in the bibliography).")
        if unpaired := unpaired_brace_fields(ref):
            say(
                f"note: removed the braces from {', '.join(unpaired)}: BibTeX needs them in pairs "
                "(write '{Name}' to keep a word's capitals).",
            )
        try:
            text, line = insert(text, ref, str(bib_path))
        except BadReference as exc:
            say(f"error: {exc}; cite the existing entry, or choose another key with --key.")
            raise SystemExit(1) from None
        if dry_run:
            click.echo(format_entry(ref))
        else:
            click.echo(ref.key)
            say(f"added @{ref.entry_type}{{{ref.key}}} to {bib_path}:{line}; cite it as 'cite: {ref.key}'")
    if not dry_run:
        try:
            write_atomic(bib_path, text, root=kb_root)
        except OutsideRoot as exc:
            say(f"error: {visible(str(exc))}.")
            raise SystemExit(1) from None


def _references_from(source: str, entry_type: str | None, given: dict[str, str], key: str | None) -> list[Reference]:
    text = _read_source(source)
    if text is not None:
        if any(given.values()) or entry_type:
            raise click.UsageError("--title/--author/... are for a DOI or arXiv id; a BibTeX entry has its own fields.")
        return from_bibtex(text, key)
    fields = {name: value for name, value in given.items() if value}
    doi, arxiv = DOI_RE.match(source.strip()), ARXIV_RE.match(source.strip())
    if doi:
        fields["doi"] = normalise_doi(source)
        what, link = f"DOI {fields['doi']}", f"https://doi.org/{fields['doi']}"
    elif arxiv:
        fields["eprint"] = normalise_eprint(source)
        what, link = f"arXiv:{fields['eprint']}", f"https://arxiv.org/abs/{fields['eprint']}"
    else:
        raise click.BadParameter(
            f"'{source}' is not a file, a BibTeX entry, '-', a DOI (10.xxxx/...) or an arXiv id (2303.07476).",
            param_hint="SOURCE",
        )
    if not ({"title", "author", "year"} <= fields.keys()):
        raise click.UsageError(_OFFLINE_HELP.format(what=what, url=link, source=source))
    return [from_fields(entry_type, fields, key)]
