"""Receivers: recompute open cases' deadlines when the working-day calendar changes."""
