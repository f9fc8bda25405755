"""A small inline knowledge base for the checklist tests (independent of kb/ content).

Stages: analysis (1) -> implementation (2) -> testing (3). Practices cover
every selection rule: paradigms, stages, frameworks, hardware, tags,
deprecation, scenario include/exclude and an item text shared by two
practices (merged by the composer).
"""

from __future__ import annotations

from pathlib import Path

from generator.kb import Checked
from generator.load.files import raw_kb_from_mapping
from generator.pipeline import check


def _entity(kind: str, body: str) -> str:
    depth = "../../schemas"
    return f"# yaml-language-server: $schema={depth}/{kind}.schema.json\n{body.strip()}\n"


EVIDENCE = """
evidence:
  - cite: doe2024study
    kind: interview-study
    shows: Engineers reported that this step caught defects before release.
    locator: Section 4
"""

FILES: dict[str, str] = {
    "kb.yaml": (
        "# yaml-language-server: $schema=../schemas/kb.schema.json\n"
        "name: Test Knowledge Base\nversion: 1.2.3\n"
        "site_url: https://example.org/kb/\nrepo_url: https://github.com/example/kb\n"
    ),
    "vocabulary.yaml": """# yaml-language-server: $schema=../schemas/vocabulary.schema.json
frameworks:
  onnx: {label: ONNX}
  onnx-runtime: {label: ONNX Runtime}
  pytorch: {label: PyTorch}
  tensorflow: {label: TensorFlow}
  tflite: {label: TensorFlow Lite}
hardware:
  cpu: {label: CPU}
  mobile: {label: Mobile phone}
  tpu: {label: TPU}
model_families:
  cnn: {label: Convolutional network}
topics:
  conversion: {label: Model conversion}
  dependencies: {label: Dependencies}
  documentation: {label: Documentation}
  testing: {label: Testing}
""",
    "references.bib": """@article{doe2024study,
  author = {Doe, Jane},
  title  = {A Study of Model Reengineering},
  journal = {Journal of Examples},
  year   = {2024},
  doi    = {10.1000/example.1}
}
""",
    "paradigms/conceptual-reuse.yaml": _entity(
        "paradigm",
        """
id: conceptual-reuse
title: Conceptual reuse
summary: Re-implementing a model from its paper in another framework.
activities: [replicating]
""",
    ),
    "paradigms/deployment-reuse.yaml": _entity(
        "paradigm",
        """
id: deployment-reuse
title: Deployment reuse
summary: Converting a trained model to run on another runtime or device.
activities: [converting]
""",
    ),
    "stages/analysis.yaml": _entity(
        "stage",
        """
id: analysis
title: Analysis
summary: Study the paper and the reference code before writing any code.
order: 1
next: [implementation]
""",
    ),
    "stages/implementation.yaml": _entity(
        "stage",
        """
id: implementation
title: Implementation
summary: Build the components with fixed interfaces and unit tests for each.
order: 2
next: [testing]
""",
    ),
    "stages/testing.yaml": _entity(
        "stage",
        """
id: testing
title: Testing
summary: Compare the re-implementation against the reference implementation.
order: 3
""",
    ),
    "challenges/hidden-settings.yaml": _entity(
        "challenge",
        """
id: hidden-settings
title: Hidden settings
summary: The paper leaves out settings that only the reference code contains.
paradigms: [conceptual-reuse]
""",
    ),
    "challenges/converter-failures.yaml": _entity(
        "challenge",
        """
id: converter-failures
title: Converter failures
summary: Model converters crash or silently produce a model that computes something else.
paradigms: [deployment-reuse]
""",
    ),
    "defects/conversion-defects.yaml": _entity(
        "defect",
        """
id: conversion-defects
title: Conversion defects
summary: Defects introduced when a model is converted between frameworks.
component: conversion
""",
    ),
    "defects/converter-wrong-model.yaml": _entity(
        "defect",
        """
id: converter-wrong-model
title: Converter produces a wrong model
summary: The converted model runs but its outputs differ from the original model's.
parent: conversion-defects
component: conversion
""",
    ),
}


def _practice(pid: str, body: str) -> str:
    return _entity(
        "practice",
        f"""
id: {pid}
summary: A practice used by the checklist tests, with enough words to be valid.
rationale: It catches the problem early, when it is still cheap to fix and easy to localise.
steps:
  - Do the thing this practice describes, then check the result.
{body.strip()}
{EVIDENCE}
""",
    )


FILES |= {
    "practices/read-the-reference-code.yaml": _practice(
        "read-the-reference-code",
        """
title: Read the reference code
stage: analysis
paradigms: [conceptual-reuse]
addresses: [hidden-settings]
tags: [documentation]
checklist:
  - id: list-hidden-settings
    text: List settings found in the code but not in the paper.
  - id: note-versions
    text: Record the exact versions of every dependency.
""",
    ),
    "practices/pin-environment.yaml": _practice(
        "pin-environment",
        """
title: Pin the environment
stage: implementation
paradigms: [conceptual-reuse, deployment-reuse]
addresses: [hidden-settings]
tags: [dependencies]
checklist:
  - id: pin-versions
    text: Record the exact versions of every dependency.
  - id: lock-file
    text: Install from a lock file in CI.
""",
    ),
    "practices/compare-converted-outputs.yaml": _practice(
        "compare-converted-outputs",
        """
title: Compare converted outputs
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
detects: [converter-wrong-model]
importance: essential
applies_when:
  target: [onnx, onnx-runtime, tflite]
tags: [conversion, testing]
checklist:
  - id: compare-outputs
    text: Compare original and converted outputs on real inputs.
    how: >-
      Run both on the same batch with `onnxruntime.InferenceSession(path)` and call
      `numpy.testing.assert_allclose`.
    done_when: The comparison passes at the recorded tolerance (doe2024study).
    checked_with: torch 2.5, onnxruntime 1.20
    docs:
      - title: "ONNX Runtime: Python API"
        url: https://onnxruntime.ai/docs/api/python/api_summary.html
    failures: [https://github.com/pytorch/pytorch/issues/1]
    severity: blocker
    effort: hours
  - id: record-tolerance
    text: Write down the tolerance used and why it is acceptable.
""",
    ),
    "practices/profile-on-device.yaml": _practice(
        "profile-on-device",
        """
title: Profile on the device
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
applies_when:
  target: [tflite]
  hardware: [mobile]
tags: [testing]
checklist:
  - id: measure-latency
    text: Measure latency and memory on the slowest supported phone.
""",
    ),
    "practices/check-tpu-ops.yaml": _practice(
        "check-tpu-ops",
        """
title: Check TPU operator support
stage: implementation
paradigms: [deployment-reuse]
addresses: [converter-failures]
applies_when:
  hardware: [tpu]
checklist:
  - id: list-unsupported-ops
    text: List every operator the TPU compiler does not support.
""",
    ),
    "practices/old-practice.yaml": _practice(
        "old-practice",
        """
title: An old practice
status: deprecated
replaced_by: pin-environment
stage: analysis
paradigms: [deployment-reuse]
addresses: [converter-failures]
checklist:
  - id: old-item
    text: Do the old thing that is no longer recommended.
""",
    ),
    "scenarios/pytorch-to-onnx-runtime.yaml": _entity(
        "scenario",
        """
id: pytorch-to-onnx-runtime
title: PyTorch to ONNX Runtime
summary: Export a PyTorch model to ONNX and serve it with ONNX Runtime on a CPU.
source: {framework: pytorch}
target: {framework: onnx-runtime, hardware: [cpu]}
paradigms: [deployment-reuse]
context: {trains: false, reference_code: true, reference_weights: true, precision: [fp32]}
""",
    ),
    "scenarios/reproduce-paper.yaml": _entity(
        "scenario",
        """
id: reproduce-paper
title: Reproduce a paper without code
summary: Re-implement a model from its paper alone, then compare against published numbers.
paradigms: [conceptual-reuse]
include: [compare-converted-outputs]
exclude: [pin-environment]
""",
    ),
    "scenarios/tensorflow-to-tflite-mobile.yaml": _entity(
        "scenario",
        """
id: tensorflow-to-tflite-mobile
title: TensorFlow to TFLite on mobile
summary: Convert a TensorFlow model to TensorFlow Lite and ship it in a phone app.
source: {framework: tensorflow}
target: {framework: tflite, hardware: [mobile]}
paradigms: [deployment-reuse]
stages: [testing]
""",
    ),
}


def files(edits: dict[str, str | None] | None = None) -> dict[str, str]:
    """The fixture KB's files with ``edits`` applied (None deletes a file)."""
    out = dict(FILES)
    for rel, text in (edits or {}).items():
        if text is None:
            out.pop(rel, None)
        else:
            out[rel] = text
    return out


def checked_kb(edits: dict[str, str | None] | None = None) -> Checked:
    """The fixture KB, validated and linked (in memory)."""
    return check(raw_kb_from_mapping(dict(files(edits))))


def write_kb(root: Path, edits: dict[str, str | None] | None = None) -> Path:
    """Write the fixture KB under ``root/kb`` and return that folder."""
    kb = root / "kb"
    for rel, text in files(edits).items():
        path = kb / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return kb


def practice(pid: str, body: str) -> str:
    """A valid practice file with the given id and fields (title, stage, ...)."""
    return _practice(pid, body)


#: A situational practice: every item needs several devices; one is written for a target, one for CNNs.
SITUATIONAL = _practice(
    "several-gpus",
    """
title: Checks needed only when training on several GPUs
stage: testing
paradigms: [deployment-reuse]
addresses: [converter-failures]
importance: situational
applies_when: {multi_device: true}
checklist:
  - id: blocker-on-several-gpus
    text: Give each process its own GPU.
    severity: blocker
  - id: major-on-several-gpus
    text: Shard the data across the processes.
    severity: major
    applies_when:
      target: [tflite]
  - id: blocker-for-cnns-on-several-gpus
    text: Synchronise batch-norm statistics across the processes.
    severity: blocker
    applies_when:
      model_family: [cnn]
""",
)
