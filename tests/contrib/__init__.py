"""Tests of generator/contrib/."""
