"""Fixtures shared by the renderer tests: the base fixture KB, checked and rendered once per module."""

from __future__ import annotations

import pytest

from generator.kb import Checked
from generator.pipeline import check_folder
from generator.render import render_site
from tests.conftest import BASE_KB


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check_folder(BASE_KB)


@pytest.fixture(scope="module")
def files(checked: Checked) -> dict[str, str | bytes]:
    return render_site(checked)
