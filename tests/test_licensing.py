"""Licence files, SPDX metadata and citation metadata agree with each other and the site."""

from __future__ import annotations

import tomllib

import yaml

from tests.conftest import ROOT


def _citation() -> dict[str, object]:
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_licence_files_present() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "LICENSE-content").read_text(encoding="utf-8")
    assert "SPDX-License-Identifier: CC-BY-4.0" in content
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in content


def test_pyproject_declares_spdx_licence() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]


def test_citation_matches_kb_and_package() -> None:
    cff = _citation()
    kb = yaml.safe_load((ROOT / "kb" / "kb.yaml").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == kb["name"]
    assert cff["version"] == kb["version"] == project["version"]
    assert cff["url"] == kb["site_url"]
    assert cff["repository-code"] == kb["repo_url"]
    assert sorted(cff["license"]) == ["CC-BY-4.0", "MIT"]  # type: ignore[arg-type]


def test_cite_page_shows_the_citation() -> None:
    cff = _citation()
    page = (ROOT / "docs" / "cite.md").read_text(encoding="utf-8")
    assert f"version      = {{{cff['version']}}}" in page
    assert f"(version {cff['version']})" in page
    assert f"title        = {{{{{cff['title']}}}}}" in page
    assert str(cff["url"]) in page
    assert "cite.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
