"""Tests of falco_exceptions.falco."""
