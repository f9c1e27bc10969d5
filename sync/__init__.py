"""Automation API orchestration: engine environment, drift, reconcile, previews and their reports."""
