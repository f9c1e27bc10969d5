"""Waiting areas declared from Python code: a second one for the same clinic is refused."""

from __future__ import annotations

import pytest

from schemas import SpecError, WaitingAreaDeclarations


def test_second_waiting_area_for_a_clinic_is_refused() -> None:
    declarations = WaitingAreaDeclarations()
    declarations.declare("metro", "renal", "infra.py:10")
    declarations.declare("metro", "physio")
    declarations.declare("other", "renal")
    with pytest.raises(SpecError) as caught:
        declarations.declare("metro", "renal", "infra.py:20")
    (issue,) = caught.value.errors
    assert issue.path == "organisations[metro].clinics[renal].waiting_area"
    assert issue.rule == "one_waiting_area_per_clinic"
    assert "infra.py:10" in issue.message and issue.file == "infra.py:20"
    assert ("metro", "renal") in declarations and ("metro", "gp") not in declarations
