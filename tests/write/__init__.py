"""Tests of generator/write/."""
