"""Contributor commands: ``fmt``, ``lint``, ``diff`` and ``changelog``.

Registered in :data:`generator.cli.main.EXTRA_COMMANDS`. Exit codes follow the
rest of the CLI: 0 clean, 1 findings (or files that would change), 2 usage.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import click

from generator.cli.common import KB_OPTION, REPORT_FORMAT_OPTION, emit, load, report, say
from generator.contrib.fmt import Change, format_entity, kind_of
from generator.contrib.yamlfmt import FormatError
from generator.findings import (
    Finding,
    Location,
    error,
    format_github,
    format_text,
    visible,
    visible_lines,
)
from generator.history.diff import diff_kbs
from generator.history.diff import format_text as diff_text
from generator.history.diff import to_json as diff_json
from generator.history.releases import history, skipped_releases
from generator.kb import Checked
from generator.load.files import (
    LINK_MESSAGE,
    TOO_LARGE_MESSAGE,
    KbNotFound,
    is_inside,
    kb_base,
    read_kb,
    read_limited,
    walk_kb,
)
from generator.load.gitrefs import GitError, read_kb_at, resolve
from generator.load.yamlstrict import YamlProblem, decode
from generator.pipeline import check
from generator.render.changelog import changelog_page
from generator.validate.lint import lint as lint_kb
from generator.validate.schema import refused_finding
from generator.write.files import OutsideRoot, write_atomic

FORMAT_CHOICE = click.Choice(["text", "github"])


def _below(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _entity_files(paths: tuple[Path, ...], kb_root: Path) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """Entity files among ``paths`` (files or folders), or all of ``kb_root``, and the paths refused.

    Only regular files inside the KB are formatted: a link (to a file or a
    folder) is never read or written, and a path outside the KB is refused.
    """
    try:
        base = kb_base(kb_root)
    except KbNotFound as exc:
        raise click.UsageError(str(exc)) from None
    found, refused = walk_kb(base)
    problems = [refused_finding(r) for r in refused]
    if not paths:
        candidates = found
    else:
        problems = []
        by_real = {os.path.realpath(p): p for p in found}
        candidates = []
        for path in paths:
            if not path.exists() and not path.is_symlink():
                raise click.BadParameter(f"'{path}' does not exist", param_hint="PATHS")
            shown = path.as_posix()
            if path.is_symlink() and is_inside(path.parent, base):
                problems.append(error("link-in-kb", f"file {LINK_MESSAGE}", Location(shown)))
                continue
            if not is_inside(path, base):
                problems.append(
                    error(
                        "outside-kb",
                        f"path is outside the knowledge base '{kb_root}'; fmt rewrites KB entries only (not read).",
                        Location(shown),
                    )
                )
                continue
            real = os.path.realpath(path)
            named = os.path.abspath(path)
            inner = [r for r in refused if _below(os.path.abspath(os.path.join(base, r.rel)), named)]
            problems += [refused_finding(r) for r in inner]
            prefix = real.rstrip(os.sep) + os.sep
            candidates += [p for r, p in sorted(by_real.items()) if r == real or r.startswith(prefix)]
    out = []
    for path in dict.fromkeys(candidates):
        kind = kind_of(path.relative_to(base).as_posix())
        if kind is not None:
            out.append((path, kind))
    return out, problems


@click.command(name="fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@KB_OPTION
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file is not canonical.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the changes as a unified diff.")
@click.option("--format", "out_format", type=FORMAT_CHOICE, default="text", show_default=True)
def fmt(paths: tuple[Path, ...], kb_root: Path, check_only: bool, show_diff: bool, out_format: str) -> None:
    """Rewrite entries in the canonical form (key order, quoting, wrapping).

    PATHS are entry files or folders (default: every entry under --kb);
    other files are skipped. Comments are kept and the data is unchanged:
    a file that would read back differently is left alone.
    """
    formatter = format_github if out_format == "github" else format_text
    changes: list[Change] = []
    files, problems = _entity_files(paths, kb_root)
    refused = len(problems)
    for path, kind in files:
        shown = path.as_posix()
        try:
            data = read_limited(path)
            if data is None:
                raise YamlProblem("file-too-large", TOO_LARGE_MESSAGE)
            before = decode(data)  # a BOM or bad UTF-8 is reported, never "repaired"
            after = format_entity(before, kind)
        except YamlProblem as exc:
            # A file too large is never read, which says it was not formatted either.
            message = exc.message if exc.code == "file-too-large" else f"{exc.message} (file not formatted)"
            problems.append(error(exc.code, message, Location(shown, exc.line, exc.col)))
            continue
        except FormatError as exc:
            problems.append(error("format-failed", f"{exc}.", Location(shown, 1, 1)))
            continue
        if after != before:
            changes.append(Change(shown, before, after))
    for finding in problems:
        click.echo(formatter(finding))
    for change in changes:
        if show_diff:
            # The old lines are the file's raw text: a bidi override or ESC in it must not reach the terminal.
            click.echo(visible_lines(change.unified_diff()), nl=False)
        if check_only:
            message = (
                f"file is not in canonical form (first difference here); run 'python -m generator fmt {change.path}'."
            )
            click.echo(formatter(error("not-canonical", message, Location(change.path, change.first_line, 1))))
        else:
            try:
                write_atomic(Path(change.path), change.after, root=kb_root)
            except OutsideRoot as exc:
                problems.append(error("outside-kb", f"{exc}.", Location(change.path)))
                click.echo(formatter(problems[-1]))
                continue
            say(f"reformatted {visible(change.path)}")
    verb = "would be reformatted" if check_only else "reformatted"
    unchanged = len(files) - len(changes) - (len(problems) - refused)
    say(f"{len(changes)} file{'s' if len(changes) != 1 else ''} {verb}, {unchanged} unchanged")
    raise SystemExit(1 if problems or (check_only and changes) else 0)


@click.command(name="lint")
@KB_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 if there is any warning.")
@REPORT_FORMAT_OPTION
@click.option("--today", metavar="YYYY-MM-DD", help="Date to compare 'review_by' and 'reviewed' with (default: today).")
def lint(kb_root: Path, strict: bool, report_format: str, today: str | None) -> None:
    """Review-quality warnings beyond the schema: summaries, checklists, evidence, stale entries."""
    if today is None:
        today = datetime.date.today().isoformat()
    else:
        try:
            today = datetime.date.fromisoformat(today).isoformat()
        except ValueError:
            raise click.BadParameter(f"'{today}' is not a date like 2026-01-31", param_hint="--today") from None
    checked = load(kb_root)
    findings = lint_kb(checked.kb, today, strict=strict)
    errors = sum(1 for f in checked.findings if f.severity.value == "error")
    if errors:
        say(
            f"note: {errors} validation error(s); entries that fail the schema are not linted. "
            "Run 'python -m generator validate'.",
        )
    report(findings, checked.kb.files_checked, report_format, strict=strict)


def _checked_at(kb_root: Path, ref: str | None) -> Checked:
    """The KB at a git ref, or in the work tree when ``ref`` is None."""
    try:
        return check(read_kb(kb_root) if ref is None else read_kb_at(kb_root, ref))
    except (GitError, KbNotFound) as exc:
        raise click.UsageError(str(exc)) from None


@click.command(name="diff")
@click.argument("ref_a")
@click.argument("ref_b", required=False)
@KB_OPTION
@click.option("--format", "out_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(ref_a: str, ref_b: str | None, kb_root: Path, out_format: str) -> None:
    """List entries added, removed, renamed and changed between two git refs.

    REF_A and REF_B are commits, tags (kb-v0.2.0) or branches; without
    REF_B the work tree is compared. Changes are listed field by field.
    """
    old = _checked_at(kb_root, ref_a)
    new = _checked_at(kb_root, ref_b)
    for label, checked in ((ref_a, old), (ref_b or "work tree", new)):
        errors = sum(1 for f in checked.findings if f.severity.value == "error")
        if errors:
            say(
                f"note: the KB at {label} has {errors} validation error(s); entries that fail the schema are left out.",
            )
    result = diff_kbs(old.kb, new.kb)
    label_a = ref_a
    label_b = ref_b or "work tree"
    if out_format == "json":
        click.echo(diff_json(result, label_a, label_b))
    else:
        click.echo(visible_lines(diff_text(result, label_a, label_b)), nl=False)


@click.command(name="changelog")
@KB_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def changelog(kb_root: Path, output: Path | None) -> None:
    """Print the changelog page (Markdown) built from the kb-v* release tags."""
    current = load(kb_root)
    try:
        resolve(kb_root, "HEAD")
    except GitError as exc:
        say(f"note: no git history ({exc}); only unreleased content is listed.")
    for line in skipped_releases(kb_root):
        say(f"warning: {line}; the changelog leaves it out.")
    emit(changelog_page(history(kb_root, current), current), output, kb_root)


#: The commands of this module, in the order ``--help`` lists them.
COMMANDS: list[click.Command] = [fmt, lint, diff, changelog]
