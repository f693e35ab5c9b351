"""Tests of falco_exceptions.catalog."""
