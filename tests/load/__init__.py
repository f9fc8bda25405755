"""Tests of generator/load/."""
