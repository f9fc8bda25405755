"""Tests of generator/checklist/."""
