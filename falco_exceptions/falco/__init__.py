"""Falco engine facts."""
