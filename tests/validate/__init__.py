"""Tests of generator/validate/."""
