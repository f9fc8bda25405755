"""The real KB's checklists: per scenario, nothing inapplicable reaches an export.

Parametrised by scenario id (one test per real scenario). Selection rules
are checked twice: by applicability read from the KB, and by the words of
the exported items (a reference comparison needs reference code, a training
run needs training, ONNX vocabulary does not belong in a TFLite port).
"""

from __future__ import annotations

import re

import pytest

from generator.checklist.compose import Query, compose
from generator.checklist.export import export_model
from generator.models import ESSENTIAL_MAX, Practice, Scenario
from generator.pipeline import Checked, check_folder
from generator.validate.selection import exclusion, narrow, resolve
from tests.conftest import ROOT

CHECKED: Checked = check_folder(ROOT / "kb")
SCENARIOS = sorted(e.id for e in CHECKED.kb.of_type("scenario"))

#: Items that compare with a reference implementation or its run (need runnable reference code).
REFERENCE_RE = re.compile(
    r"\b(?:against|with|to) the (?:original |reference )?(?:reference )?(?:implementation|code|repository|run)\b"
    r"|\breference (?:implementation|code|run)'?s?\b.*\b(?:compar|match|diff)"
    r"|\b(?:compar|diff|match)\w*\b.*\breference (?:implementation|code|run)\b",
    re.I,
)
#: Items that only make sense when the port trains.
TRAINING_RE = re.compile(
    r"\b(?:training (?:run|loop|curve|loss|step)s?|loss curves?|learning[- ]rate|epochs?|optimi[sz]er state"
    r"|fine-tun\w*|overfit\w*|gradient\w*|warm-?up)\b",
    re.I,
)
#: Words of the ONNX toolchain.
ONNX_RE = re.compile(r"\bopset\b|execution provider|onnxruntime|onnx runtime|\bonnx\b", re.I)


def _items(scenario: str, **query: object) -> list[tuple[str, str]]:
    model = export_model(compose(CHECKED, Query(scenario=scenario, **query)))  # type: ignore[arg-type]
    return [(i.id, " ".join(t for t in (i.text, i.how, i.done_when) if t)) for i in model.items]


def test_the_real_kb_validates() -> None:
    assert [str(f) for f in CHECKED.findings if f.severity == "error"] == []


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_inapplicable_item(scenario: str) -> None:
    sel = resolve(CHECKED.kb, Query(scenario=scenario))
    bad = []
    for uid, _ in _items(scenario):
        pid, iid = uid.split("/")
        practice = CHECKED.kb.entities[pid]
        assert isinstance(practice, Practice)
        item = next(ci for ci in practice.checklist if ci.id == iid)
        why = exclusion(narrow(practice.applies_when, item.applies_when), sel)
        if why:
            bad.append(f"{uid}: {why}")
    assert bad == []


def _scenarios_where(**context: bool) -> list[str]:
    """Scenario ids whose context has every given value (no skips: the list is chosen up front)."""
    out = []
    for sid in SCENARIOS:
        entity = CHECKED.kb.entities[sid]
        assert isinstance(entity, Scenario)
        if all(getattr(entity.context, key) is value for key, value in context.items()):
            out.append(sid)
    return out


NO_CODE = _scenarios_where(reference_code=False)
INFERENCE_ONLY = _scenarios_where(trains=False)


def test_the_real_kb_has_scenarios_of_both_kinds() -> None:
    assert "reproduce-paper-without-code" in NO_CODE
    assert {"pytorch-to-onnx-runtime", "tensorflow-to-tflite-mobile"} <= set(INFERENCE_ONLY)


@pytest.mark.parametrize("scenario", NO_CODE)
def test_no_reference_comparison_without_reference_code(scenario: str) -> None:
    assert [uid for uid, text in _items(scenario) if REFERENCE_RE.search(text)] == []


@pytest.mark.parametrize("scenario", INFERENCE_ONLY)
def test_no_training_item_in_an_inference_only_port(scenario: str) -> None:
    assert [uid for uid, text in _items(scenario) if TRAINING_RE.search(text)] == []


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_essential_list_is_short_and_inside_the_full_list(scenario: str) -> None:
    full = [uid for uid, _ in _items(scenario)]
    short = [uid for uid, _ in _items(scenario, importance="essential")]
    assert set(short) <= set(full)
    entity = CHECKED.kb.entities[scenario]
    assert isinstance(entity, Scenario)
    if entity.essential:
        assert short == [uid for uid in full if uid in entity.essential]
        assert len(short) <= ESSENTIAL_MAX


#: The scenarios issue 11 measures; their context and essential list are content (kb/), written separately.
MAIN = ["fine-tune-hub-model", "pytorch-to-onnx-runtime", "reproduce-paper-without-code", "tensorflow-to-tflite-mobile"]


@pytest.mark.parametrize("scenario", MAIN)
def test_main_scenarios_declare_their_context_and_essential_list(scenario: str) -> None:
    entity = CHECKED.kb.entities[scenario]
    assert isinstance(entity, Scenario)
    context = entity.context
    assert None not in (context.trains, context.reference_code, context.reference_weights)
    assert context.precision
    assert 0 < len(entity.essential) <= ESSENTIAL_MAX


def test_no_onnx_vocabulary_in_tensorflow_to_tflite_mobile() -> None:
    assert [uid for uid, text in _items("tensorflow-to-tflite-mobile") if ONNX_RE.search(text)] == []


def test_every_real_item_says_how_when_done_severity_and_effort() -> None:
    missing = [
        f"{p.id}/{ci.id}"
        for p in CHECKED.kb.of_type("practice")
        if isinstance(p, Practice)
        for ci in p.checklist
        if not (ci.how and ci.done_when and ci.severity and ci.effort)
    ]
    assert missing == []


#: Words of one runtime's toolchain that must not reach a port to another runtime.
ORT_RE = re.compile(r"onnxruntime|onnx runtime|InferenceSession|execution provider|\bORT\b", re.I)
TFLITE_RE = re.compile(r"\btflite\b|TFLiteConverter|LiteRT|tf\.lite", re.I)
COREML_RE = re.compile(r"coremltools|\bCore ?ML\b|mlpackage", re.I)
TENSORRT_RE = re.compile(r"tensorrt|trtexec|polygraphy", re.I)
#: Core ML's own converter; ExecuTorch can delegate to Core ML, so the runtime's name alone is not foreign there.
COREMLTOOLS_RE = re.compile(r"coremltools|\bct\.convert\b|mlpackage", re.I)
EXECUTORCH_RE = re.compile(r"executorch|\.pte\b|to_edge\w*|XnnpackPartitioner|etdump|etrecord", re.I)
OPENVINO_RE = re.compile(r"openvino|\bnncf\b|\bovc\b", re.I)
TFJS_RE = re.compile(r"tensorflowjs|tensorflow\.js|\btfjs\b|tf\.browser", re.I)

#: A clause addressed to one runtime's users ("for TFLite image tasks ...") may sit in a shared item.
QUALIFIED_RE = re.compile(
    r"\b(?:for|in|with|on) "
    r"(?:TFLite|TensorFlow Lite|LiteRT|ONNX Runtime|ORT|Core ML|TensorRT|ExecuTorch|OpenVINO"
    r"|TensorFlow\.js|TF\.js)\b[^;.]*",
    re.I,
)

#: Ad-hoc ports to the newest targets, and the toolchains foreign to each.
FOREIGN = [
    (
        {"source": "pytorch", "target": "coreml", "hardware": ("mobile",), "precision": ("fp16",)},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, EXECUTORCH_RE, re.compile(r"\bopset\b", re.I)],
    ),
    (
        {"source": "tensorflow", "target": "coreml", "hardware": ("mobile",), "precision": ("fp32",)},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, EXECUTORCH_RE],
    ),
    (
        {"source": "pytorch", "target": "tensorrt", "hardware": ("gpu",), "precision": ("fp16",)},
        [TFLITE_RE, COREML_RE, EXECUTORCH_RE],
    ),
    (
        {"source": "onnx", "target": "tensorrt", "hardware": ("edge",), "precision": ("int8",)},
        [TFLITE_RE, COREML_RE, EXECUTORCH_RE],
    ),
    (
        {"source": "pytorch", "target": "executorch", "hardware": ("mobile",), "precision": ("int8",)},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, COREMLTOOLS_RE, re.compile(r"\bopset\b", re.I)],
    ),
    (
        {"source": "pytorch", "target": "executorch", "hardware": ("mobile",), "precision": ("fp32",)},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, COREMLTOOLS_RE, re.compile(r"\bopset\b", re.I)],
    ),
    # OpenVINO on an x86 CPU: its own converter and NNCF, no other runtime's tools
    (
        {"source": "pytorch", "target": "openvino", "hardware": ("cpu",), "precision": ("int8",)},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, COREML_RE, EXECUTORCH_RE, TFJS_RE],
    ),
    (
        {"source": "pytorch", "target": "openvino", "hardware": ("cpu",), "precision": ("fp32",)},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, COREML_RE, EXECUTORCH_RE, TFJS_RE],
    ),
    # TensorFlow.js in the browser: its own converter, no other runtime's tools
    (
        {"source": "tensorflow", "target": "tfjs", "hardware": ("browser",), "precision": ("fp16",)},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, COREML_RE, EXECUTORCH_RE, OPENVINO_RE, re.compile(r"\bopset\b", re.I)],
    ),
    (
        {"source": "keras", "target": "tfjs", "hardware": ("browser",), "precision": ("fp32",)},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, COREML_RE, EXECUTORCH_RE, OPENVINO_RE, re.compile(r"\bopset\b", re.I)],
    ),
    # a re-implementation in JAX trained on TPU: no converter's tools, and no TensorFlow-only TPU loop
    (
        {"source": "pytorch", "target": "jax", "hardware": ("tpu",), "precision": ("bf16",), "trains": True},
        [ORT_RE, TFLITE_RE, TENSORRT_RE, COREML_RE, EXECUTORCH_RE, re.compile(r"steps_per_execution")],
    ),
]


@pytest.mark.parametrize(
    ("query", "foreign"), FOREIGN, ids=lambda v: "-".join(str(x) for x in v.values()) if isinstance(v, dict) else ""
)
def test_no_foreign_toolchain_in_ports_to_new_targets(query: dict[str, object], foreign: list[re.Pattern[str]]) -> None:
    texts = _items(None, **{"trains": False, **query})  # type: ignore[arg-type]
    assert texts
    found = [uid for uid, text in texts if any(p.search(QUALIFIED_RE.sub("", text)) for p in foreign)]
    assert found == []
