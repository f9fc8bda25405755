"""Checklist composition: selection rules, item applicability, essential lists, ordering, query errors."""

from __future__ import annotations

import pytest

from generator.checklist.compose import Query, Selection, UnknownName, all_item_ids, applies, compose, resolve
from tests.checklist_kb import checked_kb, practice


@pytest.fixture(scope="module")
def kb():
    return checked_kb()


def uids(kb, **query):
    return [i.uid for i in compose(kb, Query(**query)).items]


def test_fixture_kb_is_clean(kb) -> None:
    assert kb.findings == []


def test_scenario_selects_by_paradigm_framework_and_hardware(kb) -> None:
    # pin-environment: no framework restriction; compare-converted-outputs: lists onnx-runtime;
    # profile-on-device needs tflite/mobile; check-tpu-ops needs a TPU; old-practice is deprecated;
    # read-the-reference-code is conceptual reuse only.
    assert uids(kb, scenario="pytorch-to-onnx-runtime") == [
        "pin-environment/pin-versions",
        "pin-environment/lock-file",
        "compare-converted-outputs/compare-outputs",
        "compare-converted-outputs/record-tolerance",
    ]


def test_items_are_ordered_by_stage_then_practice_id_then_item_order(kb) -> None:
    checklist = compose(kb, Query())
    stages = {"analysis": 1, "implementation": 2, "testing": 3}
    keys = [(stages[i.stage], i.practice) for i in checklist.items]
    assert keys == sorted(keys)
    assert [s.id for s in checklist.stages] == ["analysis", "implementation", "testing"]
    # check-tpu-ops sorts before pin-environment inside the implementation stage
    assert [i.practice for i in checklist.items if i.stage == "implementation"] == [
        "check-tpu-ops",
        "pin-environment",
        "pin-environment",
    ]


def test_scenario_include_and_exclude(kb) -> None:
    got = uids(kb, scenario="reproduce-paper")
    assert "compare-converted-outputs/compare-outputs" in got  # included though it is deployment reuse
    assert not any(u.startswith("pin-environment/") for u in got)  # excluded though it is conceptual reuse
    assert got[:2] == ["read-the-reference-code/list-hidden-settings", "read-the-reference-code/note-versions"]


def test_scenario_stages_and_hardware(kb) -> None:
    assert uids(kb, scenario="tensorflow-to-tflite-mobile") == [
        "compare-converted-outputs/compare-outputs",
        "compare-converted-outputs/record-tolerance",
        "profile-on-device/measure-latency",
    ]


def test_same_text_in_two_practices_keeps_both_items(kb) -> None:
    items = compose(kb, Query()).items
    same = [i.uid for i in items if i.text == "Record the exact versions of every dependency."]
    assert same == ["read-the-reference-code/note-versions", "pin-environment/pin-versions"]
    assert len({i.uid for i in items}) == len(items)


def test_deprecated_practices_only_when_included(kb) -> None:
    assert "old-practice/old-item" not in uids(kb)
    edited = checked_kb(
        {
            "scenarios/pytorch-to-onnx-runtime.yaml": FILES_SCENARIO.replace(
                "paradigms: [deployment-reuse]", "paradigms: [deployment-reuse]\ninclude: [old-practice]"
            )
        }
    )
    assert "old-practice/old-item" in uids(edited, scenario="pytorch-to-onnx-runtime")


FILES_SCENARIO = """# yaml-language-server: $schema=../../schemas/scenario.schema.json
id: pytorch-to-onnx-runtime
title: PyTorch to ONNX Runtime
summary: Export a PyTorch model to ONNX and serve it with ONNX Runtime on a CPU.
source: {framework: pytorch}
target: {framework: onnx-runtime, hardware: [cpu]}
paradigms: [deployment-reuse]
"""


CONVERSION = {"compare-converted-outputs", "profile-on-device"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"target": "tflite"}, {"read-the-reference-code", "pin-environment", "check-tpu-ops"} | CONVERSION),
        ({"target": "tensorflow"}, {"read-the-reference-code", "pin-environment", "check-tpu-ops"}),
        ({"source": "pytorch"}, {"read-the-reference-code", "pin-environment", "check-tpu-ops"} | CONVERSION),
        (
            {"hardware": ("tpu",)},
            {"read-the-reference-code", "pin-environment", "check-tpu-ops", "compare-converted-outputs"},
        ),
        ({"hardware": ("mobile",), "target": "tflite"}, {"read-the-reference-code", "pin-environment"} | CONVERSION),
        ({"tags": ("conversion", "documentation")}, {"read-the-reference-code", "compare-converted-outputs"}),
        ({"stages": ("testing",)}, {"compare-converted-outputs", "profile-on-device"}),
        ({"paradigms": ("conceptual-reuse",)}, {"read-the-reference-code", "pin-environment"}),
    ],
    ids=["target", "other-target", "source-only", "hardware", "hardware-and-target", "tags", "stage", "paradigm"],
)
def test_ad_hoc_filters(kb, query, expected) -> None:
    assert {i.practice for i in compose(kb, Query(**query)).items} == expected


def test_filters_replace_the_scenarios_own_value(kb) -> None:
    checklist = compose(kb, Query(scenario="pytorch-to-onnx-runtime", stages=("testing",)))
    assert [i.uid for i in checklist.items] == [
        "compare-converted-outputs/compare-outputs",
        "compare-converted-outputs/record-tolerance",
    ]
    assert checklist.selection.target == "onnx-runtime"  # kept from the scenario
    assert checklist.title == "PyTorch to ONNX Runtime (stage testing)"
    retargeted = resolve(kb.kb, Query(scenario="pytorch-to-onnx-runtime", target="tflite", hardware=("mobile",)))
    assert (retargeted.source, retargeted.target, retargeted.hardware) == ("pytorch", "tflite", ("mobile",))


def test_items_carry_practice_guards_and_evidence(kb) -> None:
    checklist = compose(kb, Query(scenario="pytorch-to-onnx-runtime"))
    item = next(i for i in checklist.items if i.uid == "compare-converted-outputs/compare-outputs")
    assert (item.practice, item.item_id, item.stage, item.importance) == (
        "compare-converted-outputs",
        "compare-outputs",
        "testing",
        "essential",
    )
    assert checklist.guards(item) == [("addresses", "converter-failures"), ("detects", "converter-wrong-model")]
    assert item.evidence == ("doe2024study",)
    assert checklist.names["converter-wrong-model"] == "Converter produces a wrong model"
    assert checklist.practices[item.practice].url == "https://example.org/kb/practices/compare-converted-outputs.html"
    assert checklist.urls["cite:doe2024study"] == "https://example.org/kb/references.html#ref-doe2024study"
    assert (checklist.kb_version, checklist.scope) == ("1.2.3", "pytorch-to-onnx-runtime")


def test_applies_matches_the_documented_rules(kb) -> None:
    compare = kb.kb.entities["compare-converted-outputs"]
    assert applies(compare, Selection())
    assert applies(compare, Selection(source="pytorch", target="onnx"))
    assert not applies(compare, Selection(source="pytorch", target="tensorflow"))
    assert applies(compare, Selection(source="pytorch"))  # 'target' is open: nothing to exclude on
    assert not applies(compare, Selection(paradigms=("conceptual-reuse",)))
    assert applies(compare, Selection(hardware=("tpu",)))  # no hardware restriction: any hardware


@pytest.mark.parametrize(
    ("query", "what", "hint"),
    [
        (Query(scenario="pytorch-to-onnx"), "scenario", "pytorch-to-onnx-runtime"),
        (Query(target="tflit"), "framework", "tflite"),
        (Query(source="mxnet"), "framework", None),
        (Query(tags=("conversoin",)), "tag", "conversion"),
        (Query(stages=("testng",)), "stage", "testing"),
        (Query(paradigms=("deploy-reuse",)), "paradigm", "deployment-reuse"),
        (Query(hardware=("fpga",)), "hardware", None),
        (Query(precision=("fp8",)), "precision", None),
    ],
)
def test_unknown_names_list_what_exists(kb, query, what, hint) -> None:
    with pytest.raises(UnknownName) as info:
        compose(kb, query)
    exc = info.value
    assert exc.what == what
    assert exc.choices and all(choice in str(exc) for choice in exc.choices)
    if hint:
        assert f"Did you mean '{hint}'?" in str(exc)
    else:
        assert "Did you mean" not in str(exc)


def test_query_string_round_trip_and_canonical_order() -> None:
    query = Query(scenario="x-y", stages=("b-b", "a-a", "b-b"), target="tflite", tags=("t",))
    assert query.stages == ("a-a", "b-b")
    assert query.to_string() == "scenario=x-y&stage=a-a&stage=b-b&target=tflite&tag=t"
    assert Query.from_string(query.to_string()) == query
    assert Query.from_string("") == Query()
    assert Query().to_string() == ""
    assert query.as_dict()["stages"] == ["a-a", "b-b"]


def test_practice_without_items_adds_nothing(kb) -> None:
    body = """
title: Nothing to tick
stage: analysis
paradigms: [deployment-reuse]
addresses: [converter-failures]
"""
    edited = checked_kb({"practices/nothing-to-tick.yaml": practice("nothing-to-tick", body)})
    checklist = compose(edited, Query(scenario="pytorch-to-onnx-runtime"))
    assert "nothing-to-tick" not in checklist.practices
    assert [s.id for s in checklist.stages] == ["implementation", "testing"]


def test_all_item_ids(kb) -> None:
    assert "old-practice/old-item" in all_item_ids(kb.kb)
    assert len(all_item_ids(kb.kb)) == 9


def test_importance_is_a_minimum_level(kb) -> None:
    # pin-environment is 'recommended' (the default); compare-converted-outputs is 'essential'.
    assert uids(kb, scenario="pytorch-to-onnx-runtime", importance="essential") == [
        "compare-converted-outputs/compare-outputs",
        "compare-converted-outputs/record-tolerance",
    ]
    recommended = uids(kb, scenario="pytorch-to-onnx-runtime", importance="recommended")
    assert recommended == uids(kb, scenario="pytorch-to-onnx-runtime")
    assert resolve(kb.kb, Query(importance="essential")).importance == "essential"


def test_importance_round_trips_through_the_query_string() -> None:
    query = Query(scenario="pytorch-to-onnx-runtime", importance="essential")
    assert query.to_string() == "scenario=pytorch-to-onnx-runtime&importance=essential"
    assert Query.from_string(query.to_string()) == query


def test_unknown_importance_lists_the_levels(kb) -> None:
    with pytest.raises(UnknownName) as info:
        resolve(kb.kb, Query(importance="critical"))
    assert "Known: essential, recommended, situational." in str(info.value)
