"""Guards that keep patients' entry links and queued callers safe, for resources declared from Python."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

from devtools.platform import running_platform
from devtools.platform_dev import Dev
import resources
import schemas
from tests.resources.conftest import inline_stack

pytestmark = [pytest.mark.engine, pytest.mark.slow]

HOURS = schemas.OpeningHours(monday=schemas.DayHours(open="08:00", close="17:00"))


def clinic_program(waiting_area_clinic: str, enabled: bool = True, **allowances: bool):
    """An organisation with two clinics and one waiting area in the clinic named."""

    def program() -> None:
        org = resources.Organisation("guard", key="guard", name="Guard Health")
        clinics = {
            key: resources.Clinic(f"guard.{key}", organisation=org, key=key, name=f"Guard {key}", timezone="Australia/Perth")
            for key in ("north", "south")
        }
        resources.WaitingArea(
            "guard.front-door", clinic=clinics[waiting_area_clinic],
            settings=schemas.WaitingAreaSettings(name="Front door", opening_hours=HOURS, enabled=enabled), **allowances,
        )

    return program


def test_python_declarations_keep_the_guards(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform") as platform:
        stack = inline_stack(clinic_program("north"), platform, tmp_path / "state")
        stack.up()
        # The token given as secret stack config (read by configure()) is kept only as ciphertext.
        state_files = [p for p in (tmp_path / "state").rglob("*.json")]
        assert state_files and not [p for p in state_files if platform.operator_token in p.read_text()]
        assert any('"ciphertext"' in p.read_text() for p in state_files)

        # The same inline program previews again in this process: each run declares its waiting area afresh.
        assert {op for op, n in stack.preview().change_summary.items() if n and op != "same"} == set()
        stack.workspace.program = clinic_program("south")
        with pytest.raises(auto.CommandError) as refused:
            stack.up()
        assert "allow_entry_link_change" in str(refused.value)
        assert "patient entry link" in str(refused.value)

        # The refusal changed nothing: the area is still in the north clinic.
        stack.workspace.program = clinic_program("north")
        preview = stack.preview()
        assert {op for op, n in preview.change_summary.items() if n and op != "same"} == set()

        # Queued callers stop a delete unless allowed.
        from platform_client import PlatformClient

        client = PlatformClient(platform.url, platform.operator_token)
        area = next(iter(client.waiting_areas.list(next(client.organisations.list()).id)))
        Dev.of(client).join_callers(area.id, 2)
        stack.workspace.program = clinic_program("north", enabled=False)
        with pytest.raises(auto.CommandError) as previewed:
            stack.preview()  # the pull request's preview already says what up would refuse
        assert "would be refused" in str(previewed.value) and "(2)" in str(previewed.value)
        with pytest.raises(auto.CommandError) as disabling:
            stack.up()
        assert "callers are waiting" in str(disabling.value) and "allow_disable_with_callers" in str(disabling.value)
        assert client.waiting_areas.get(area.id).enabled is True

        with pytest.raises(auto.CommandError) as queued:
            stack.destroy()
        assert "callers are waiting" in str(queued.value)
        assert client.waiting_areas.get(area.id).waiting_count == 2

        stack.workspace.program = clinic_program("north", enabled=False, allow_disable_with_callers=True)
        stack.up()
        assert client.waiting_areas.get(area.id).enabled is False, "the explicit allowance lets it through"
        Dev.of(client).leave_callers(area.id, 2)
        assert stack.destroy().summary.result == "succeeded"


def test_second_waiting_area_for_one_clinic_is_refused_in_python(tmp_path: Path) -> None:
    def program() -> None:
        clinic_program("north")()
        north = resources.Clinic("guard.north-again", organisation=resources.Organisation("guard2", key="guard2", name="G2"),
                                 key="north", name="Guard north again", timezone="Australia/Perth")
        north.organisation_spec_key = "guard"  # the same clinic, as a mistaken second declaration would name it
        resources.WaitingArea("guard.second", clinic=north, settings=schemas.WaitingAreaSettings(name="Second"))

    with running_platform(tmp_path / "platform") as platform:
        stack = inline_stack(program, platform, tmp_path / "state")
        with pytest.raises(auto.CommandError) as refused:
            stack.preview()
        assert "already has a waiting area" in str(refused.value)
        assert list(stack.export_stack().deployment.get("resources") or []) == []
