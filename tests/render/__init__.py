"""Tests of generator/render/."""
