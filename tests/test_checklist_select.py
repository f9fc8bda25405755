"""Item-level selection: applicability, scenario context, essential lists and stage order.

Also the validation and lint findings that keep scenario lists and item
fields honest. Uses the inline checklist KB of tests/checklist_kb.py.
"""

from __future__ import annotations

import pytest

from generator.checklist.compose import Query, compose
from generator.findings import Finding, Location, Severity
from generator.models import Applicability
from generator.pipeline import check_folder
from generator.validate import selection
from generator.validate.lint import lint
from generator.validate.selection import Selection, contradiction, exclusion, narrow
from tests.checklist_kb import FILES, SITUATIONAL, checked_kb, practice
from tests.conftest import ROOT

SCENARIO = "scenarios/pytorch-to-onnx-runtime.yaml"
REAL = check_folder(ROOT / "kb")
ONNX = FILES[SCENARIO]


def uids(kb, **query) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.uid for i in compose(kb, Query(**query)).items]


def scenario(extra: str) -> dict[str, str | None]:
    return {SCENARIO: ONNX + extra.strip() + "\n"}


TRAINING = practice(
    "train-briefly",
    """
title: Train briefly after the port
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
  - id: run-inference
    text: Run inference on ten real inputs after the port.
  - id: overfit-one-batch
    text: Overfit one batch to check that gradients flow after the port.
    applies_when: {trains: true}
  - id: compare-with-reference-run
    text: Compare the loss curve with the reference implementation's run.
    applies_when: {trains: true, reference_code: true}
  - id: calibrate-int8
    text: Calibrate the int8 model on a representative dataset.
    applies_when: {precision: [int8]}
  - id: delegate-on-mobile
    text: Run the model with the GPU delegate on a phone.
    applies_when: {target: [tflite], hardware: [mobile]}
""",
)


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return checked_kb({"practices/train-briefly.yaml": TRAINING})


def test_inference_only_scenario_gets_no_training_item(kb) -> None:  # type: ignore[no-untyped-def]
    got = [u for u in uids(kb, scenario="pytorch-to-onnx-runtime") if u.startswith("train-briefly/")]
    assert got == ["train-briefly/run-inference"]


def test_query_context_replaces_the_scenarios(kb) -> None:  # type: ignore[no-untyped-def]
    got = uids(kb, scenario="pytorch-to-onnx-runtime", trains=True, precision=("int8",))
    assert [u for u in got if u.startswith("train-briefly/")] == [
        "train-briefly/run-inference",
        "train-briefly/overfit-one-batch",
        "train-briefly/compare-with-reference-run",
        "train-briefly/calibrate-int8",
    ]
    no_code = uids(kb, scenario="pytorch-to-onnx-runtime", trains=True, reference_code=False)
    assert "train-briefly/compare-with-reference-run" not in no_code
    assert "train-briefly/overfit-one-batch" in no_code


def test_an_open_context_excludes_nothing(kb) -> None:  # type: ignore[no-untyped-def]
    got = [u for u in uids(kb) if u.startswith("train-briefly/")]
    assert len(got) == 5


def test_framework_and_hardware_narrow_items(kb) -> None:  # type: ignore[no-untyped-def]
    assert "train-briefly/delegate-on-mobile" in uids(kb, target="tflite", hardware=("mobile",))
    assert "train-briefly/delegate-on-mobile" not in uids(kb, target="tflite", hardware=("cpu",))
    assert "train-briefly/delegate-on-mobile" not in uids(kb, target="onnx-runtime")


def test_include_never_overrides_applicability() -> None:
    body = """
title: Check the training loop
stage: testing
paradigms: [conceptual-reuse]
addresses: [hidden-settings]
applies_when: {trains: true}
checklist:
  - id: check-loss
    text: Check that the loss at initialisation matches the number of classes.
"""
    edited = checked_kb(
        {"practices/check-training.yaml": practice("check-training", body)} | scenario("include: [check-training]")
    )
    assert "check-training/check-loss" not in uids(edited, scenario="pytorch-to-onnx-runtime")
    assert [(f.code, f.severity, str(f.location)) for f in edited.findings] == [
        ("inapplicable-include", Severity.WARNING, "kb/scenarios/pytorch-to-onnx-runtime.yaml:9:11")
    ]
    assert "applies only when the port trains" in edited.findings[0].message


def test_items_carry_how_done_when_docs_failures_severity_and_effort(kb) -> None:  # type: ignore[no-untyped-def]
    item = next(i for i in compose(kb, Query()).items if i.uid == "compare-converted-outputs/compare-outputs")
    assert item.how == (
        "Run both on the same batch with `onnxruntime.InferenceSession(path)` and call `numpy.testing.assert_allclose`."
    )
    assert item.done_when == "The comparison passes at the recorded tolerance (doe2024study)."
    assert item.checked_with == "torch 2.5, onnxruntime 1.20"
    assert [(d.title, d.url) for d in item.docs] == [
        ("ONNX Runtime: Python API", "https://onnxruntime.ai/docs/api/python/api_summary.html")
    ]
    assert item.failures == ("https://github.com/pytorch/pytorch/issues/1",)
    assert (item.severity, item.effort) == ("blocker", "hours")
    assert item.applies_when == Applicability(target=["onnx", "onnx-runtime", "tflite"])


# ------------------------------------------------------------ applicability


def test_narrow_intersects_lists_and_lets_the_item_decide_open_flags() -> None:
    outer = Applicability(target=["onnx", "tflite"], trains=None, precision=["fp32", "int8"])
    inner = Applicability(target=["tflite"], trains=True)
    assert narrow(outer, inner) == Applicability(target=["tflite"], trains=True, precision=["fp32", "int8"])
    assert contradiction(outer, inner) is None
    assert contradiction(Applicability(trains=False), Applicability(trains=True)) == (
        "'trains' is true here but false on the practice"
    )
    assert contradiction(outer, Applicability(target=["pytorch"])) == (
        "'target' shares no value with the practice's onnx, tflite"
    )
    situated = Applicability(multi_device=True, model_family=["cnn", "yolo"])
    assert narrow(situated, Applicability(model_family=["yolo"])) == Applicability(
        multi_device=True, model_family=["yolo"]
    )
    assert contradiction(situated, Applicability(multi_device=False)) == (
        "'multi_device' is false here but true on the practice"
    )
    assert contradiction(situated, Applicability(model_family=["transformer"])) == (
        "'model_family' shares no value with the practice's cnn, yolo"
    )


@pytest.mark.parametrize(
    ("aw", "sel", "why"),
    [
        (Applicability(trains=True), Selection(trains=False), "only when the port trains"),
        (Applicability(trains=False), Selection(trains=True), "only for inference-only ports"),
        (Applicability(reference_code=True), Selection(reference_code=False), "only with reference code"),
        (Applicability(reference_weights=False), Selection(reference_weights=True), "only without reference weights"),
        (Applicability(source=["pytorch"]), Selection(source="tensorflow"), "only for source pytorch"),
        (Applicability(target=["tflite"]), Selection(target="onnx-runtime"), "only for target tflite"),
        (Applicability(hardware=["mobile"]), Selection(hardware=("cpu", "gpu")), "only for hardware mobile"),
        (Applicability(precision=["int8"]), Selection(precision=("fp32",)), "only for precision int8"),
        (Applicability(multi_device=True), Selection(multi_device=False), "only on several devices"),
        (Applicability(multi_device=False), Selection(multi_device=True), "only on one device"),
        (Applicability(model_family=["yolo"]), Selection(model_family=("cnn",)), "only for model family yolo"),
        (Applicability(multi_device=True, model_family=["yolo"]), Selection(), None),
        (Applicability(model_family=["cnn", "yolo"]), Selection(model_family=("yolo",)), None),
        (Applicability(trains=True), Selection(), None),
        (Applicability(precision=["int8"]), Selection(precision=("fp32", "int8")), None),
        (Applicability(hardware=["mobile"]), Selection(hardware=("cpu", "mobile")), None),
    ],
)
def test_exclusion(aw: Applicability, sel: Selection, why: str | None) -> None:
    assert exclusion(aw, sel) == why


def test_contradictory_item_applicability_is_an_error() -> None:
    body = """
title: Only when training
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
applies_when: {trains: true}
checklist:
  - id: never
    text: Do something only inference-only ports need.
    applies_when: {trains: false}
"""
    edited = checked_kb({"practices/only-training.yaml": practice("only-training", body)})
    assert edited.findings == [
        Finding(
            "contradictory-applies-when",
            Severity.ERROR,
            "item 'never' can never apply: 'trains' is false here but true on the practice; an item's "
            "'applies_when' may only narrow its practice's.",
            Location("kb/practices/only-training.yaml", 15, 5, ("checklist", 0, "applies_when")),
        )
    ]


def test_unknown_terms_in_applies_when_are_located() -> None:
    text = FILES["practices/profile-on-device.yaml"].replace("target: [tflite]", "target: [tflit]")
    edited = checked_kb({"practices/profile-on-device.yaml": text})
    assert [(f.code, f.message, str(f.location)) for f in edited.findings] == [
        (
            "unknown-term",
            "unknown framework 'tflit'. Did you mean 'tflite'?",
            "kb/practices/profile-on-device.yaml:12:12",
        )
    ]


def test_unknown_model_families_are_located_like_hardware() -> None:
    text = FILES["practices/profile-on-device.yaml"].replace(
        "hardware: [mobile]", "hardware: [mobile]\n  model_family: [cnns]"
    )
    context = ONNX.replace("precision: [fp32]}", "precision: [fp32], model_family: [yolo]}")
    edited = checked_kb({"practices/profile-on-device.yaml": text, SCENARIO: context})
    assert sorted((f.code, f.message, str(f.location)) for f in edited.findings) == [
        (
            "unknown-term",
            "unknown model family 'cnns'. Did you mean 'cnn'?",
            "kb/practices/profile-on-device.yaml:14:18",
        ),
        (
            "unknown-term",
            "unknown model family 'yolo'. Add it to kb/vocabulary.yaml if it is a new term.",
            f"kb/{SCENARIO}:8:107",
        ),
    ]


def test_precision_values_are_checked() -> None:
    text = ONNX.replace("precision: [fp32]", "precision: [fp8]")
    (finding,) = checked_kb({SCENARIO: text}).findings
    assert finding.code == "invalid-value"
    assert "'context.precision[0]'" in finding.message
    assert "'fp32', 'fp16', 'bf16' or 'int8'" in finding.message


def test_old_applies_to_key_names_the_new_one() -> None:
    text = FILES["practices/profile-on-device.yaml"].replace("applies_when:", "applies_to:")
    (finding,) = checked_kb({"practices/profile-on-device.yaml": text}).findings
    assert finding.code == "unknown-key"
    assert finding.message == (
        "unknown key 'applies_to' in practice 'profile-on-device'. Did you mean 'applies_when'? 'applies_to' was "
        "renamed: move 'frameworks' to 'target' (or 'source') and keep 'hardware' as it is."
    )


# ---------------------------------------------------------------- essential


def test_essential_gives_exactly_the_scenarios_list() -> None:
    edited = checked_kb(scenario("essential: [pin-environment/lock-file, compare-converted-outputs/record-tolerance]"))
    assert edited.findings == []
    got = uids(edited, scenario="pytorch-to-onnx-runtime", importance="essential")
    assert got == ["pin-environment/lock-file", "compare-converted-outputs/record-tolerance"]
    flags = {i.uid: i.essential for i in compose(edited, Query(scenario="pytorch-to-onnx-runtime")).items}
    assert flags == {
        "pin-environment/pin-versions": False,
        "pin-environment/lock-file": True,
        "compare-converted-outputs/compare-outputs": False,
        "compare-converted-outputs/record-tolerance": True,
    }
    # lower levels keep the scenario's essential items even from a 'recommended' practice
    assert "pin-environment/lock-file" in uids(edited, scenario="pytorch-to-onnx-runtime", importance="recommended")


def test_without_a_scenario_list_practice_importance_decides(kb) -> None:  # type: ignore[no-untyped-def]
    assert uids(kb, importance="essential") == [
        "compare-converted-outputs/compare-outputs",
        "compare-converted-outputs/record-tolerance",
    ]


BLOCKERS = practice(
    "many-checks",
    """
title: Many checks of a recommended practice
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
importance: recommended
checklist:
  - id: minor-check
    text: Tidy the export log.
    severity: minor
  - id: blocker-check
    text: Fail the export on a missing operator.
    severity: blocker
  - id: major-check
    text: Compare the outputs on ten inputs.
    severity: major
""",
)


def test_an_ad_hoc_short_list_takes_blockers_first_and_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"practices/many-checks.yaml": BLOCKERS} | scenario(
        "essential: [many-checks/major-check, pin-environment/lock-file]"
    )
    edited = checked_kb(files)
    assert [f for f in edited.findings if f.severity == Severity.ERROR] == []
    # Eligible: the essential practice's items, the blocker, and what a scenario's list names (the major check,
    # the lock file); ranked: blocker, then by importance, then by how many scenario lists name an item.
    assert uids(edited, importance="essential") == [
        "pin-environment/lock-file",
        "compare-converted-outputs/compare-outputs",
        "compare-converted-outputs/record-tolerance",
        "many-checks/blocker-check",
        "many-checks/major-check",
    ]
    flags = {i.uid: i.essential for i in compose(edited, Query()).items}
    assert flags["many-checks/minor-check"] is False and flags["many-checks/blocker-check"] is True
    monkeypatch.setattr(selection, "SHORT_LIST", 2)
    # the two blockers (compare-outputs is one in tests/checklist_kb.py) outrank the rest
    assert uids(checked_kb(files), importance="essential") == [
        "compare-converted-outputs/compare-outputs",
        "many-checks/blocker-check",
    ]
    # a scenario's own list still decides for the scenario
    assert uids(edited, scenario="pytorch-to-onnx-runtime", importance="essential") == [
        "pin-environment/lock-file",
        "many-checks/major-check",
    ]


PORT_SPECIFIC = practice(
    "port-checks",
    """
title: Checks of a recommended practice, some written for one runtime
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
importance: recommended
checklist:
  - id: generic-major
    text: Compare the outputs on ten inputs.
    severity: major
  - id: tflite-major
    text: Compare the interpreter's outputs on ten inputs.
    severity: major
    applies_when:
      target: [tflite]
  - id: tflite-minor
    text: Tidy the interpreter log.
    severity: minor
    applies_when:
      target: [tflite]
""",
)


def test_an_ad_hoc_short_list_admits_the_ports_own_major_items() -> None:
    edited = checked_kb({"practices/port-checks.yaml": PORT_SPECIFIC})
    assert [f for f in edited.findings if f.severity == Severity.ERROR] == []
    # A major item written for the asked target is eligible (and ranks before generic major items);
    # a generic major item or a minor one is not eligible (its practice is only recommended, no list names it).
    for_tflite = uids(edited, target="tflite", importance="essential")
    assert "port-checks/tflite-major" in for_tflite
    assert "port-checks/generic-major" not in for_tflite and "port-checks/tflite-minor" not in for_tflite
    # Without a target in the query the same item is generic again, and stays off the short list.
    assert "port-checks/tflite-major" not in uids(edited, importance="essential")


BROAD_AND_NARROW = practice(
    "port-and-class-checks",
    """
title: Checks written for one runtime, and for a class of frameworks
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
importance: recommended
checklist:
  - id: tflite-major
    text: Compare the interpreter's outputs on ten inputs.
    severity: major
    applies_when:
      target: [tflite, onnx, onnx-runtime]
  - id: class-major
    text: Compare the outputs of any of four frameworks on ten inputs.
    severity: major
    applies_when:
      target: [tflite, onnx, onnx-runtime, tensorflow]
""",
)


SAFETY = practice(
    "keep-untrusted-code-out",
    """
title: A generic security blocker
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
importance: recommended
tags: [security]
checklist:
  - id: safe-weights
    text: Load weights only from a format that runs no code.
    severity: blocker
""",
)


def test_a_ports_own_major_item_outranks_the_blockers_every_port_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    vocabulary = FILES["vocabulary.yaml"].replace("topics:\n", "topics:\n  security: {label: Security}\n")
    files = {
        "vocabulary.yaml": vocabulary,
        "practices/many-checks.yaml": BLOCKERS,
        "practices/port-and-class-checks.yaml": BROAD_AND_NARROW,
        "practices/keep-untrusted-code-out.yaml": SAFETY,
    }
    edited = checked_kb(files)
    assert [f for f in edited.findings if f.severity == Severity.ERROR] == []
    assert selection.PORTS_OWN_VALUES == 3
    # compare-outputs (tests/checklist_kb.py) is a blocker written for the target; many-checks/blocker-check is a
    # blocker any port shares; the major item for three targets is this port's own, the one for four a class's.
    # A security blocker is every port's own. The list keeps checklist order; the rank decides who stays as it
    # shrinks.
    kept: list[str] = []
    for size in range(1, 6):
        monkeypatch.setattr(selection, "SHORT_LIST", size)
        short = uids(checked_kb(files), target="tflite", importance="essential")
        kept.append(next(uid for uid in short if uid not in kept))
    assert kept == [
        "compare-converted-outputs/compare-outputs",
        "keep-untrusted-code-out/safe-weights",
        "port-and-class-checks/tflite-major",
        "many-checks/blocker-check",
        "port-and-class-checks/class-major",
    ]


UNSTATED = practice(
    "unstated-situation",
    """
title: Checks needed only in a situation the applicability does not name
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
importance: situational
checklist:
  - id: blocker-in-some-situation
    text: Do what only some ports need.
    severity: blocker
""",
)


def test_a_situational_item_reaches_a_short_list_when_the_query_states_its_situation() -> None:
    """A situational practice's blockers would crowd every list: they wait until the query says they apply."""
    files = {"practices/several-gpus.yaml": SITUATIONAL, "practices/unstated-situation.yaml": UNSTATED}
    edited = checked_kb(files)
    assert [f for f in edited.findings if f.severity == Severity.ERROR] == []
    several = "several-gpus/blocker-on-several-gpus"
    sharded = "several-gpus/major-on-several-gpus"
    cnns = "several-gpus/blocker-for-cnns-on-several-gpus"
    unstated = "unstated-situation/blocker-in-some-situation"
    full = [i.uid for i in compose(edited, Query(target="tflite")).items]
    assert {several, sharded, cnns, unstated} <= set(full)
    # The query leaves the device count open: the items stay in the checklist, off the short list.
    short = uids(edited, target="tflite", importance="essential")
    assert not [uid for uid in short if uid.startswith(("several-gpus/", "unstated-situation/"))]
    # Several devices stated: the blocker is eligible, the major item too (written for the target);
    # the CNN item also needs the model family, and an item naming no situation key never is.
    short = uids(edited, target="tflite", multi_device=True, importance="essential")
    assert several in short and sharded in short
    assert cnns not in short and unstated not in short
    assert cnns in uids(edited, target="tflite", multi_device=True, model_family=("cnn",), importance="essential")
    assert cnns not in uids(edited, target="tflite", model_family=("cnn",), importance="essential")
    # One device: the practice does not apply at all.
    assert not [u for u in uids(edited, target="tflite", multi_device=False) if u.startswith("several-gpus/")]
    # A scenario's list still names any applicable item.
    named = checked_kb(files | scenario(f"essential: [{unstated}, pin-environment/lock-file]"))
    assert unstated in uids(named, target="tflite", importance="essential")


@pytest.mark.parametrize(
    ("aw", "sel", "stated"),
    [
        (Applicability(multi_device=True), Selection(multi_device=True), True),
        (Applicability(multi_device=True), Selection(), False),
        (Applicability(multi_device=False), Selection(multi_device=False), True),
        (Applicability(model_family=["cnn", "yolo"]), Selection(model_family=("yolo",)), True),
        (Applicability(model_family=["cnn"]), Selection(model_family=("transformer",)), False),
        (Applicability(multi_device=True, model_family=["cnn"]), Selection(multi_device=True), False),
        (Applicability(trains=True, target=["tflite"]), Selection(trains=True, target="tflite"), False),
    ],
    ids=["several", "open", "one", "family", "other-family", "half", "no-situation-key"],
)
def test_situation_stated(aw: Applicability, sel: Selection, stated: bool) -> None:
    assert selection.situation_stated(aw, sel) is stated


@pytest.mark.parametrize(
    "filters",
    [
        {"source": "tensorflow", "target": "onnx-runtime", "hardware": ("cpu",), "trains": False},
        {"source": "pytorch", "target": "tflite", "hardware": ("mobile",), "precision": ("int8",)},
        {"target": "onnx-runtime", "hardware": ("gpu",), "precision": ("fp16",)},
        {},
    ],
    ids=["tf-to-ort", "pt-to-tflite", "ort-gpu", "everything"],
)
def test_ad_hoc_short_lists_of_the_real_kb_hold_at_most_25_items(filters: dict[str, object]) -> None:
    full = compose(REAL, Query(**filters)).items  # type: ignore[arg-type]
    short = [i.uid for i in compose(REAL, Query(importance="essential", **filters)).items]  # type: ignore[arg-type]
    assert len(full) > 100 and len(short) == selection.SHORT_LIST
    assert short == [i.uid for i in full if i.essential]


@pytest.mark.parametrize(
    ("essential", "code", "message"),
    [
        (
            "[pin-environment/lock-files]",
            "unknown-item",
            "essential item 'pin-environment/lock-files' does not exist. Did you mean 'pin-environment/lock-file'?",
        ),
        (
            "[read-the-reference-code/note-versions]",
            "essential-not-selected",
            "essential item 'read-the-reference-code/note-versions' is not in this scenario's checklist (practice "
            "'read-the-reference-code' does not match the scenario's paradigms, stages or tags; add it to "
            "'include'); drop it from 'essential' or change the scenario's filters.",
        ),
        (
            "[profile-on-device/measure-latency]",
            "essential-not-selected",
            "essential item 'profile-on-device/measure-latency' is not in this scenario's checklist (practice "
            "'profile-on-device' applies only for target tflite); drop it from 'essential' or change the "
            "scenario's filters.",
        ),
        (
            "[pin-environment/lock-file, pin-environment/lock-file]",
            "duplicate-essential",
            "essential item 'pin-environment/lock-file' is listed twice.",
        ),
    ],
    ids=["unknown", "not-selected", "inapplicable", "twice"],
)
def test_essential_items_must_exist_and_be_selected(essential: str, code: str, message: str) -> None:
    (finding,) = checked_kb(scenario(f"essential: {essential}")).findings
    assert (finding.code, finding.message, finding.location.path) == (
        code,
        message,
        "kb/scenarios/pytorch-to-onnx-runtime.yaml",
    )
    assert finding.location.key_path[0] == "essential"


def test_essential_list_holds_at_most_25_items() -> None:
    many = ", ".join(f"pin-environment/item-{n}" for n in range(26))
    (finding,) = checked_kb(scenario(f"essential: [{many}]")).findings
    assert finding.code == "invalid-value"
    assert finding.message.startswith("'essential': list should have at most 25 items after validation, not 26")


# -------------------------------------------------------------------- order


def test_scenario_order_orders_stages() -> None:
    edited = checked_kb(scenario("order: [testing, analysis, implementation]"))
    assert edited.findings == []
    checklist = compose(edited, Query(scenario="pytorch-to-onnx-runtime"))
    assert [s.id for s in checklist.stages] == ["testing", "implementation"]
    assert [i.stage for i in checklist.items] == ["testing", "testing", "implementation", "implementation"]


@pytest.mark.parametrize(
    ("order", "messages"),
    [
        ("[testing, analysis]", ["'order' must list every stage exactly once; missing: implementation."]),
        (
            "[testing, analysis, implementation, testing]",
            ["'order' lists stage 'testing' twice; list every stage exactly once."],
        ),
        (
            "[testng, analysis, implementation]",
            [
                "'order' names stage 'testng', which does not exist. Did you mean 'testing'?",
                "'order' must list every stage exactly once; missing: testing.",
            ],
        ),
    ],
    ids=["missing", "twice", "unknown"],
)
def test_order_must_be_a_permutation_of_the_stages(order: str, messages: list[str]) -> None:
    found = checked_kb(scenario(f"order: {order}")).findings
    assert sorted(f.message for f in found) == sorted(messages)
    assert all(f.severity is Severity.ERROR for f in found)


# --------------------------------------------------------------------- lint


def test_lint_flags_items_without_how_or_done_when_and_duplicate_texts() -> None:
    edited = checked_kb()
    codes = {"item-without-how", "item-without-done-when", "duplicate-item-text"}
    findings = [f for f in lint(edited.kb, "2026-01-01") if f.code in codes]
    found = [f for f in findings if f.location.path.endswith("pin-environment.yaml")]
    assert [(f.code, str(f.location)) for f in found] == [
        ("item-without-done-when", "kb/practices/pin-environment.yaml:13:5"),
        ("item-without-how", "kb/practices/pin-environment.yaml:13:5"),
        ("duplicate-item-text", "kb/practices/pin-environment.yaml:14:5"),
        ("item-without-done-when", "kb/practices/pin-environment.yaml:15:5"),
        ("item-without-how", "kb/practices/pin-environment.yaml:15:5"),
    ]
    assert found[2].message == (
        "checklist item 'pin-versions' has the same text as read-the-reference-code/note-versions; both reach "
        "checklists, so reword one to say what differs, or drop one."
    )
    compare = [f for f in findings if "compare-converted-outputs" in f.location.path]
    assert [f.code for f in compare] == ["item-without-done-when", "item-without-how"]  # record-tolerance only


def test_lint_asks_scenarios_for_an_essential_list() -> None:
    found = [f for f in lint(checked_kb().kb, "2026-01-01") if f.code == "scenario-without-essential"]
    assert [f.location.path for f in found] == [
        "kb/scenarios/pytorch-to-onnx-runtime.yaml",
        "kb/scenarios/reproduce-paper.yaml",
        "kb/scenarios/tensorflow-to-tflite-mobile.yaml",
    ]


def test_query_flags_round_trip_through_the_query_string() -> None:
    query = Query(scenario="x-y", trains=False, reference_code=True, precision=("int8", "fp16"))
    assert query.to_string() == "scenario=x-y&trains=false&reference_code=true&precision=fp16&precision=int8"
    assert Query.from_string(query.to_string()) == query
    assert query.describe() == "inference only; reference code available; precision fp16, int8"


def test_situation_keys_round_trip_through_the_query_string() -> None:
    query = Query(target="tflite", multi_device=True, model_family=("yolo", "cnn", "yolo"))
    assert query.to_string() == "target=tflite&multi_device=true&model_family=cnn&model_family=yolo"
    assert Query.from_string(query.to_string()) == query
    assert query.describe() == "target tflite; several devices; model family cnn, yolo"
    single = Query(multi_device=False)
    assert single.to_string() == "multi_device=false" and Query.from_string("multi_device=false") == single
    assert single.describe() == "one device"
    assert Query.from_string("multi_device=maybe") == Query()


def test_frameworks_inside_applies_when_names_source_and_target() -> None:
    text = FILES["practices/profile-on-device.yaml"].replace("target: [tflite]", "frameworks: [tflite]")
    (finding,) = checked_kb({"practices/profile-on-device.yaml": text}).findings
    assert finding.message == (
        "unknown key 'applies_when.frameworks' in practice 'profile-on-device'. Did you mean 'target'? "
        "'applies_when' names the 'source' and the 'target' frameworks separately."
    )


def test_near_duplicate_texts_are_flagged() -> None:
    text = FILES["practices/pin-environment.yaml"].replace(
        "Install from a lock file in CI.", "install from a  lock file in CI"
    )
    body = """
title: Lock it
stage: implementation
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
  - id: lock
    text: Install from a lock file in CI.
"""
    edited = checked_kb({"practices/pin-environment.yaml": text, "practices/lock-it.yaml": practice("lock-it", body)})
    found = [f.message for f in lint(edited.kb, "2026-01-01") if f.code == "duplicate-item-text"]
    assert "checklist item 'lock' has the same text as pin-environment/lock-file; both reach checklists, " in found[0]
