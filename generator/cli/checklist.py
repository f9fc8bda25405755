"""The ``checklist`` command: export a checklist before a port, read a filled one back.

``checklist SCENARIO [filters] --format md|csv|json|html [-o FILE]`` exports
(``export`` is the default subcommand, so the word can be left out);
``checklist status FILE`` reports a filled checklist's progress;
``checklist list`` lists the scenarios. Unknown scenarios, stages,
paradigms, frameworks, hardware, tags or model families are usage errors (exit 2) that name
the closest match and everything that exists.
"""

from __future__ import annotations

from pathlib import Path

import click

from generator.checklist.compose import (
    IMPORTANCE_LEVELS,
    PRECISIONS,
    Checklist,
    Query,
    UnknownName,
    all_item_ids,
    compose,
    scenario_ids,
)
from generator.checklist.export import FORMATS, export
from generator.checklist.status import MAX_BYTES as STATUS_MAX_BYTES
from generator.checklist.status import NotAChecklist, compare, parse_checklist, report_json, report_text
from generator.cli.common import KB_OPTION, emit, load, require_valid, say
from generator.findings import visible, visible_lines
from generator.kb import Checked
from generator.load.files import read_limited
from generator.load.gitinfo import git_commit
from generator.markup import counted


class DefaultGroup(click.Group):
    """A group that runs its default subcommand when the first argument names no subcommand."""

    default_command = "export"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, no_args_is_help=True)
def checklist() -> None:
    # Not a raw docstring: click needs the real \b (backspace) to keep the examples unwrapped.
    """Checklists before a port: export one, or read a filled one back.

    'export' is the default: 'checklist SCENARIO ...' means 'checklist export SCENARIO ...'.

    \b
    Examples:
      checklist pytorch-to-onnx-runtime --format md
      checklist pytorch-to-onnx-runtime --essential --compact
      checklist --target tflite --hardware mobile --inference-only --precision int8
      checklist --source pytorch --target pytorch --hardware gpu --trains --multi-device --essential
      checklist pytorch-to-onnx-runtime --stage testing-and-evaluation --format csv -o todo.csv
      checklist --paradigm deployment-reuse --target tflite --hardware mobile --format html -o port.html
      checklist status todo.csv
      checklist list
    """  # noqa: D301


def _hint(exc: UnknownName, query: Query) -> str:
    if exc.what == "framework":
        return "--source" if exc.value == query.source else "--target"
    return "SCENARIO" if exc.what == "scenario" else f"--{exc.what.replace(' ', '-')}"


def _compose(checked: Checked, query: Query, kb_root: Path) -> Checklist:
    try:
        return compose(checked, query, commit=git_commit(kb_root))
    except UnknownName as exc:
        raise click.BadParameter(str(exc), param_hint=_hint(exc, query)) from None


@checklist.command("export", short_help="Export a checklist (the default command).")
@click.argument("scenario", required=False)
@click.option("--paradigm", "paradigms", multiple=True, metavar="ID", help="Only practices of this paradigm.")
@click.option("--stage", "stages", multiple=True, metavar="ID", help="Only practices of this workflow stage.")
@click.option("--source", metavar="FRAMEWORK", help="Framework the model comes from.")
@click.option("--target", metavar="FRAMEWORK", help="Framework the model goes to.")
@click.option("--hardware", multiple=True, metavar="TERM", help="Target hardware.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only practices with this tag.")
@click.option(
    "--trains/--inference-only",
    "trains",
    default=None,
    help="Whether the port trains or fine-tunes (default: the scenario's context; unknown keeps both).",
)
@click.option(
    "--reference-code/--no-reference-code",
    "reference_code",
    default=None,
    help="Whether reference code can be run (default: the scenario's context).",
)
@click.option(
    "--reference-weights/--no-reference-weights",
    "reference_weights",
    default=None,
    help="Whether reference weights exist (default: the scenario's context).",
)
@click.option(
    "--multi-device/--single-device",
    "multi_device",
    default=None,
    help="Whether the port trains or runs on several devices at once (default: the scenario's context).",
)
@click.option("--precision", "precision", multiple=True, type=click.Choice(PRECISIONS), help="Target precision.")
@click.option(
    "--model-family", "model_family", multiple=True, metavar="TERM", help="Model family (vocabulary model_families)."
)
@click.option(
    "--importance",
    type=click.Choice(IMPORTANCE_LEVELS),
    help=(
        "Keep items of at least this importance; 'essential' gives a scenario's own essential list, or "
        "without one at most 25 items ranked by severity, fit to the filters, practice importance and the "
        "scenarios' lists."
    ),
)
@click.option("--essential", is_flag=True, help="The short list: the same as '--importance essential'.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--compact", is_flag=True, help="Only the boxes: no how, done-when, links or practice lines.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@KB_OPTION
def export_command(
    scenario: str | None,
    paradigms: tuple[str, ...],
    stages: tuple[str, ...],
    source: str | None,
    target: str | None,
    hardware: tuple[str, ...],
    tags: tuple[str, ...],
    trains: bool | None,
    reference_code: bool | None,
    reference_weights: bool | None,
    multi_device: bool | None,
    precision: tuple[str, ...],
    model_family: tuple[str, ...],
    importance: str | None,
    essential: bool,
    fmt: str,
    compact: bool,
    output: Path | None,
    kb_root: Path,
) -> None:
    """Export the checklist of SCENARIO and/or filters (repeat a filter to allow several values).

    Filters replace the scenario's value for the same field. Items are
    ordered by workflow stage; each keeps a stable id ('practice/item') so
    'checklist status' can read a filled copy back.
    """
    if essential and importance not in (None, "essential"):
        raise click.UsageError(f"--essential and --importance {importance} contradict each other; give one.")
    if compact and fmt == "json":
        raise click.UsageError("--compact applies to md, csv and html; the JSON export always carries every field.")
    checked = load(kb_root)
    require_valid(checked)
    query = Query(
        scenario=scenario,
        paradigms=paradigms,
        stages=stages,
        source=source,
        target=target,
        hardware=hardware,
        tags=tags,
        importance="essential" if essential else importance,
        trains=trains,
        reference_code=reference_code,
        reference_weights=reference_weights,
        multi_device=multi_device,
        precision=precision,
        model_family=model_family,
    )
    composed = _compose(checked, query, kb_root)
    if not composed.items:
        say(f"warning: no checklist item matches '{query.to_string() or 'all practices'}'")
    emit(export(composed, fmt, compact=compact), output, kb_root)


@checklist.command("status", short_help="Report the progress of a filled checklist.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--require-done", is_flag=True, help="Exit 1 while items are open or new (for release gates).")
@KB_OPTION
def status_command(file: Path, fmt: str, require_done: bool, kb_root: Path) -> None:
    """Report a filled Markdown, CSV or JSON checklist against the current KB.

    Lists done and open items, items that no longer exist in the checklist
    and items added since the export, matched by their stable ids.
    """
    try:
        data = read_limited(file, STATUS_MAX_BYTES, follow=True)
        if data is None:
            raise NotAChecklist(f"the file is larger than {STATUS_MAX_BYTES:,} bytes")
        text = data.decode("utf-8")
        filled = parse_checklist(text, file.name)
    except UnicodeDecodeError:
        raise click.BadParameter(f"'{visible(str(file))}' is not UTF-8 text.", param_hint="FILE") from None
    except NotAChecklist as exc:
        raise click.BadParameter(
            f"'{visible(str(file))}' is not a checklist export: {visible(str(exc))}.", param_hint="FILE"
        ) from None
    checked = load(kb_root)
    require_valid(checked)
    current = None
    if filled.unread:
        shown = ", ".join(repr(pair[:60]) for pair in filled.unread[:5])
        more = f" and {len(filled.unread) - 5:,} more" if len(filled.unread) > 5 else ""
        say(
            f"warning: the file's query has {shown}{more}, which this version does not read;"
            " the comparison uses the rest of the query"
        )
    if filled.query is not None:
        try:
            current = compose(checked, filled.query, commit=git_commit(kb_root))
        except UnknownName as exc:
            say(f"warning: the file's query no longer matches the KB: {visible(str(exc))}")
    report = compare(filled, current, all_item_ids(checked.kb))
    text = report_json(report) if fmt == "json" else visible_lines(report_text(report, current, str(file)))
    emit(text, None, kb_root)
    if require_done and (report.open or report.new):
        raise SystemExit(1)


@checklist.command("list")
@KB_OPTION
def list_command(kb_root: Path) -> None:
    """List the scenarios, how many checklist items each selects and how many are essential."""
    checked = load(kb_root)
    require_valid(checked)
    ids = scenario_ids(checked.kb)
    width = max((len(i) for i in ids), default=0)
    for sid in ids:
        composed = compose(checked, Query(scenario=sid))
        essential = len(compose(checked, Query(scenario=sid, importance="essential")).items)
        count = counted(len(composed.items), "item")
        click.echo(f"{sid:<{width}}  {count:>9}  {essential:>3} essential  {visible(composed.title)}")
