"""The ``site`` command: build the site with MkDocs; a failed build leaves the previous site intact."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import say
from generator.findings import visible
from generator.write.files import OutsideRoot
from generator.write.sitebuild import build_site


@click.command(name="site")
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Output folder; replaced only when the build succeeds.",
)
@click.option(
    "-f", "--config", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"), show_default=True
)
@click.option("--strict/--no-strict", default=True, show_default=True, help="Fail on warnings (as CI does).")
def site(site_dir: Path, config: Path, strict: bool) -> None:
    """Build the site with MkDocs; a failed build leaves the previous site intact."""
    try:
        code = build_site(site_dir, config=config, strict=strict)
    except OutsideRoot as exc:
        say(f"error: {visible(str(exc))}.")
        raise SystemExit(1) from None
    if code != 0:
        say(f"site build failed (exit {code}); {site_dir}/ was left as it was.")
        raise SystemExit(1)
    say(f"site built in {site_dir}/")
