"""Helpers shared by every CLI command module (options, loading, output)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.findings import (
    Finding,
    format_github,
    format_text,
    has_failures,
    summary_line,
    to_json,
    visible,
    visible_lines,
)
from generator.kb import Checked
from generator.load.files import KbNotFound
from generator.pipeline import check_folder
from generator.write.files import OverlapsInput, check_apart, write_atomic

KB_OPTION = click.option(
    "--kb",
    "kb_root",
    default="kb",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Knowledge-base folder.",
)

REPORT_FORMAT_OPTION = click.option(
    "--format",
    "report_format",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text: path:line:col lines; github: Actions annotations; json: one report.",
)


def report(findings: list[Finding], files_checked: int, report_format: str, *, strict: bool) -> None:
    """Print findings in the chosen format, then exit 1 if they fail the run, else 0."""
    if report_format == "json":
        click.echo(to_json(findings, files_checked))
    else:
        formatter = format_github if report_format == "github" else format_text
        for finding in findings:
            click.echo(formatter(finding))
        click.echo(summary_line(findings, files_checked))
    raise SystemExit(1 if has_failures(findings, strict) else 0)


def say(message: str) -> None:
    """Print a message on stderr with control, bidi and zero-width characters escaped (:func:`visible_lines`).

    Every message of every command goes through here: a path, git ref, key or
    field the user typed (an ESC in an ``-o`` path) is echoed, and must not reach
    the terminal raw. Exports and reports on stdout are escaped by their writers.
    """
    click.echo(visible_lines(message), err=True)


def load(kb_root: Path) -> Checked:
    """Run the pipeline; a missing KB folder is a usage error (exit 2)."""
    try:
        return check_folder(kb_root)
    except KbNotFound as exc:
        raise click.UsageError(str(exc)) from None


def emit(text: str, output: Path | None, kb_root: Path) -> None:
    """Print ``text`` or write it atomically to ``output``, which must lie outside the KB folder.

    The KB folder holds only entries: an export written there would replace
    one, or be a stray file that fails every later check.
    """
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        try:
            check_apart(output, {"the knowledge-base folder": kb_root})
        except OverlapsInput as exc:
            raise click.BadParameter(visible(str(exc)), param_hint="'-o' / '--output'") from None
        write_atomic(output, text)
        say(f"wrote {output}")


def require_valid(checked: Checked) -> None:
    """Stop with exit 1, findings on stderr, when the KB has errors."""
    if has_failures(checked.findings, strict=False):
        for finding in checked.findings:
            say(format_text(finding))
        say(summary_line(checked.findings, checked.kb.files_checked))
        raise SystemExit(1)
