"""Command-line interface: a thin layer over the pipeline.

Exit codes: 0 clean, 1 findings that fail the run (or a failed write),
2 usage errors (bad options, unknown ids, missing KB folder).
Reports go to stdout; errors about the command itself go to stderr.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from generator import __version__
from generator.cli.checklist import checklist
from generator.cli.common import KB_OPTION, REPORT_FORMAT_OPTION, emit, load, report, require_valid, say
from generator.cli.contrib import COMMANDS as contrib_commands
from generator.cli.new import new
from generator.cli.site import site
from generator.findings import current_file, format_text, visible, visible_lines
from generator.graph import coverage, neighbourhood
from generator.ids import suggestion
from generator.models import FOLDERS
from generator.render.diagrams import DiagramError, render_svg, to_dot
from generator.render.exports import graph_graphml, graph_json, json_schemas
from generator.validate.lint_evidence import grading_summary
from generator.validate.schema import SCHEMA_DIR
from generator.write.files import OverlapsInput, check_apart, check_replaceable, write_atomic
from generator.write.tree import TreeError, write_tree


class GuardedGroup(click.Group):
    """The command group with the last-resort handler: no traceback reaches the user.

    Bad input is reported as findings (exit 1) or usage errors (exit 2) by
    the commands themselves; anything else that escapes is a bug. It is
    reported as an internal error naming the file being processed (see
    :func:`generator.findings.processing`), with exit 1.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.exceptions.ClickException as exc:
            raise shown(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.ClickException as exc:
            raise shown(exc) from None
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except RecursionError:
            internal_error("input nested too deeply (RecursionError)")
        except MemoryError:
            internal_error("input too large (MemoryError)")
        except OSError as exc:
            name = visible(str(exc.filename)) if exc.filename else current_file() or "reengineering-kb"
            say(f"{name}: error[io-error] {visible(exc.strerror or str(exc))}.")
            raise SystemExit(1) from None
        except Exception as exc:
            internal_error(f"{type(exc).__name__}: {exc}")


def shown(exc: click.exceptions.ClickException) -> click.exceptions.ClickException:
    """``exc`` with its message safe for a terminal: usage errors quote arguments and file text.

    An argument or value with a control, bidi or escape character (a ref,
    id, path or cell) is echoed escaped, as findings are (:func:`visible`).
    """
    setattr(exc, "message", visible_lines(exc.message))  # noqa: B010 - typed Final in click, set once here
    return exc


def internal_error(what: str) -> NoReturn:
    """Report an unexpected failure on one line, naming the file being processed, and exit 1."""
    where = current_file() or "reengineering-kb"
    detail = " ".join(visible(what).split())[:300]
    say(
        f"{visible(where)}: error[internal-error] {detail}. This is a bug in the generator, not in your file: "
        "please report it with this line.",
    )
    raise SystemExit(1)


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="reengineering-kb")
def main() -> None:
    """Build, check and query the DL model reengineering knowledge base."""


@main.command()
@KB_OPTION
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@REPORT_FORMAT_OPTION
def validate(kb_root: Path, strict: bool, report_format: str) -> None:
    """Check every entry, the bibliography and the cross-entity rules.

    Exits 0 when clean, 1 on errors (or on warnings with --strict).
    """
    checked = load(kb_root)
    report(checked.findings, checked.kb.files_checked, report_format, strict=strict)


@main.command()
@KB_OPTION
@click.option("--format", "fmt", type=click.Choice(["dot", "svg", "graphml", "json"]), default="dot", show_default=True)
@click.option("--focus", metavar="ID", help="Only the neighbourhood of this entity.")
@click.option("--depth", type=click.IntRange(0, 10), default=1, show_default=True, help="Hops around --focus.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def graph(kb_root: Path, fmt: str, focus: str | None, depth: int, output: Path | None) -> None:
    """Export the knowledge graph (or one entity's neighbourhood)."""
    checked = load(kb_root)
    require_valid(checked)
    selected = checked.graph
    if focus is not None:
        if focus not in selected:
            entity_ids = [n for n in selected if not n.startswith("cite:")]
            raise click.BadParameter(f"unknown id '{focus}'.{suggestion(focus, entity_ids)}", param_hint="--focus")
        selected = neighbourhood(selected, focus, depth)
    if fmt == "json":
        text = graph_json(selected)
    elif fmt == "graphml":
        text = graph_graphml(selected)
    else:
        dot = to_dot(selected, name=focus or "reengineering-kb", highlight=focus).to_string()
        if fmt == "svg":
            try:
                text = render_svg(dot)
            except DiagramError as exc:
                raise click.ClickException(str(exc)) from None
        else:
            text = dot
    emit(text, output, kb_root)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(SCHEMA_DIR),
    show_default=True,
    help="Folder for the *.schema.json files.",
)
@click.option("--check", is_flag=True, help="Only check that the files are up to date (exit 1 if not).")
@KB_OPTION
def schema(out: Path, check: bool, kb_root: Path) -> None:
    """Write the JSON Schemas of every entry type (for editors and tools).

    The folder must lie apart from the KB folder, which holds only entries.
    """
    try:
        check_apart(out, {"the knowledge-base folder": kb_root})
    except OverlapsInput as exc:
        raise click.BadParameter(visible(str(exc)), param_hint="'--out'") from None
    schemas = json_schemas()
    # Only a regular file is read: a pipe or device there would block or never end.
    stale = [
        out / name
        for name, text in schemas.items()
        if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
    ]
    if not check:
        for path in stale:  # all refused before any is written: no half-updated folder
            check_replaceable(path, folder=False)
        for path in stale:
            write_atomic(path, schemas[path.name])
    if check and stale:
        for path in stale:
            say(f"{path}: out of date; run 'python -m generator schema'")
        raise SystemExit(1)
    say(f"{len(schemas)} schemas {'checked' if check else 'written'} in {out}/")


@main.command()
@KB_OPTION
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the tree into (replaced only if rendering succeeds).",
)
@click.option(
    "--docs",
    "docs_dir",
    default="docs",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Hand-written pages copied into the tree (not read with --generated-only).",
)
@click.option("--generated-only", is_flag=True, help="Write only the generated files, not the --docs pages.")
def render(kb_root: Path, out: Path, docs_dir: Path, generated_only: bool) -> None:
    """Write the complete Markdown tree of the site into a folder, for any site engine.

    The tree is the hand-written pages of --docs plus every page, diagram and
    download the generator makes: the same files the MkDocs hook adds during
    `mkdocs build`. Point any MkDocs-compatible engine's docs_dir at it.
    """
    if not kb_root.is_dir():  # a usage error (exit 2), as in every command
        raise click.UsageError(f"knowledge-base folder not found: {kb_root}")
    if not generated_only and not docs_dir.is_dir():
        raise click.UsageError(
            f"hand-written pages folder '{visible(str(docs_dir))}' not found; name it with --docs,"
            " or pass --generated-only to write the generated files alone"
        )
    try:
        generated = write_tree(out, kb_root, None if generated_only else docs_dir)
    except TreeError as exc:
        say(f"render: {exc}")
        raise SystemExit(1) from None
    for finding in generated.warnings:
        say(format_text(finding))
    say(f"{len(generated.files)} generated files written in {out}/")


@main.command()
@KB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(kb_root: Path, fmt: str) -> None:
    """Count entries per type, checklist items and references, and list coverage gaps."""
    checked = load(kb_root)
    kb = checked.kb
    counts = {kind: len(kb.of_type(kind)) for kind in FOLDERS}
    items = sum(len(getattr(p, "checklist", [])) for p in kb.of_type("practice"))
    cov = coverage(kb, checked.graph)
    errors = sum(1 for f in checked.findings if f.severity.value == "error")
    warnings = len(checked.findings) - errors
    data = {
        "entities": counts,
        "checklist_items": items,
        "references": len(kb.bibliography.entries),
        "coverage_gaps": {"challenges": cov.uncovered_challenges, "defects": cov.unguarded_defects},
        "findings": {"errors": errors, "warnings": warnings},
    }
    grading = grading_summary(list(kb.entities.values()))
    data.update(grading)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    rows = [(FOLDERS[kind], count) for kind, count in counts.items()]
    rows += [("checklist items", items), ("references", len(kb.bibliography.entries))]
    width = max(len(label) for label, _ in rows)
    for label, count in rows:
        click.echo(f"{label:<{width}}  {count:>4}")
    gaps = cov.uncovered_challenges + cov.unguarded_defects
    click.echo(f"coverage gaps: {len(gaps)}" + (f" ({', '.join(gaps)})" if gaps else ""))
    click.echo(f"findings: {errors} errors, {warnings} warnings")
    strengths = ", ".join(f"{n} {k}" for k, n in grading["evidence_by_strength"].items()) or "none"
    click.echo(f"evidence by strength: {strengths}")
    click.echo("effect relations: " + ", ".join(f"{n} with {k}" for k, n in grading["effects_by_basis"].items()))


#: Commands defined in other modules, registered here in one explicit list.
EXTRA_COMMANDS: list[click.Command] = []
EXTRA_COMMANDS.append(checklist)
EXTRA_COMMANDS.append(new)
EXTRA_COMMANDS.extend(contrib_commands)
EXTRA_COMMANDS.append(site)
for _command in EXTRA_COMMANDS:
    main.add_command(_command)


def utf8_streams() -> None:
    """Write UTF-8 to stdout and stderr whatever the locale says (``LANG=...ISO-8859-1``, ``PYTHONIOENCODING``).

    Exports are UTF-8 (as with ``-o``), so a title with an emoji cannot stop one
    halfway with an encoding error; messages never fail on a character either.
    """
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors=errors)


def run() -> None:
    """Console-script entry point."""
    utf8_streams()
    main(prog_name="reengineering-kb")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
