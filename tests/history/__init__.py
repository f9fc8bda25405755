"""Tests of generator/history/."""
