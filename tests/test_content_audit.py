"""Pins the facts corrected in the content audit of 2026-11-27 (see the helper's audit log).

Sources: the reengineering study's replication package (Wenxin-Jiang/EMSE-CVReengineering-Artifact:
interview transcripts, reengineering-checklists, coded defects in kb/data/), the ONNX converter
study's coded failures (kb/data/onnx-converter-failures.csv) and the ICSE 2023 PTM-reuse paper
(PurdueDualityLab/ICSE-23-PTM-Artifact, ICSE23-PTMReuse.pdf).
"""

from __future__ import annotations

import pytest

from generator.kb import Checked
from generator.models import Practice
from generator.pipeline import check_folder
from tests.conftest import ROOT

KB = ROOT / "kb"


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check_folder(KB)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _text(checked: Checked, eid: str) -> str:
    entity = checked.kb.entities[eid]
    parts = [getattr(entity, name, "") or "" for name in ("summary", "body", "rationale")]
    parts += [f"{e.shows} {e.locator}" for e in entity.evidence]
    return _flat(" ".join(parts))


def _item(checked: Checked, uid: str):  # type: ignore[no-untyped-def]
    practice_id, item_id = uid.split("/")
    practice = checked.kb.entities[practice_id]
    assert isinstance(practice, Practice)
    return next(item for item in practice.checklist if item.id == item_id)


def test_tpu_port_transcript_is_not_read_as_tensorflow(checked: Checked) -> None:
    # Interview_leader2&3.txt anonymises both frameworks (ANONYMIZED_DL_PLATFORM_1/2).
    text = _text(checked, "pytorch-to-tensorflow-tpu")
    assert "porting models to TensorFlow for TPUs" not in text
    assert "Interview_leader2&3.txt l.41-65" in text


def test_research_prototype_share_is_the_coded_one(checked: Checked) -> None:
    # Coded data: 94 of 348 defects come from repositories coded "Research Prototype: Yes";
    # Fig. 5 puts 278 of 348 under the project type User "fork".
    text = _text(checked, "reuse-research-prototype")
    assert "original authors' own prototype" not in text
    assert "94 of the 348" in text and "278 of 348" in text


def test_data_pipeline_item_does_not_claim_the_largest_gaps(checked: Checked) -> None:
    # Interview_leader1.txt l.131: a very large drop points to the model or the loss, a broken data
    # pipeline costs about 3-4%; leader6 l.86 calls the data pipeline the hardest part, l.146 ~10%.
    done_when = _flat(_item(checked, "test-data-pipeline-deterministically/compare-pipeline-steps").done_when)
    assert "largest accuracy gaps" not in done_when
    assert "Interview_leader6.txt l.86 and l.146" in done_when


def test_tensorflow_op_inventory_does_not_use_summary(checked: Checked) -> None:
    how = _flat(_item(checked, "map-operations-to-target/export-op-inventory").how)
    assert "get_operations()" in how
    assert "`model.summary()` lists layers, not operators" in how


def test_torch_onnx_algorithmic_errors_are_split_from_the_data(checked: Checked) -> None:
    # onnx-converter-failures.csv: torch.onnx algorithmic errors 4 graph optimisation, 1 tracer, 1 node.
    text = _text(checked, "converter-graph-optimisation-faults")
    assert "most were in tracing" not in text
    assert "4 of torch.onnx's 6" in text


def test_model_selection_does_not_say_most_compared_candidates(checked: Checked) -> None:
    # ICSE23 Section V-B: engineers "have the option of assessing more than one candidate".
    text = _text(checked, "model-selection-and-discovery")
    assert "compared a few fine-tuned candidates" not in text
    assert "may cover several candidates" in text
