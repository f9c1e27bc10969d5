"""A spec with many mistakes reports all of them at once, each at its own line."""

from __future__ import annotations

from .specs import all_issues, spec

MISTAKES = {
    "timezone_is_iana": "timezone: Mars/Olympus",
    "time_is_hh_mm": 'opening_hours: {monday: {open: "8", close: "17:00"}}',
    "small_room_participant_limit": "meeting_rooms: [{key: huddle, name: Huddle, max_participants: 9}]",
    "extra_forbidden": "colour: blue",
    "email_is_valid": "- {key: lee, email: lee-at-metro, display_name: Lee}",
    "group_room_participant_limit": "group_rooms: [{key: class, name: Class, max_participants: 30}]",
    "literal_error": "- {key: max, email: max@metro.example, display_name: Max, org_roles: [boss]}",
}


def test_every_mistake_in_one_spec_is_reported() -> None:
    text = spec(
        waiting_area=MISTAKES["time_is_hh_mm"],
        physio="\n".join([MISTAKES["timezone_is_iana"], MISTAKES["small_room_participant_limit"], MISTAKES["extra_forbidden"]]),
        organisation=MISTAKES["group_room_participant_limit"],
        people="\n".join([MISTAKES["email_is_valid"], MISTAKES["literal_error"]]),
    )
    issues = all_issues(text)
    assert sorted(issue.rule for issue in issues) == sorted(MISTAKES)
    lines = text.splitlines()
    for issue in issues:
        assert issue.line is not None
        assert MISTAKES[issue.rule] in lines[issue.line - 1], str(issue)


def test_structure_rules_of_separate_organisations_are_all_reported() -> None:
    text = spec(
        waiting_area="transfer_targets: [nowhere]",
        physio="user_rooms: [{key: kim-room, owner: kim, name: Kim}]",
        clinics="- {key: oncology, name: Metro Oncology}",
    )
    rules = sorted(issue.rule for issue in all_issues(text))
    assert rules == ["clinic_has_an_admin", "transfer_targets_are_not_a_platform_setting", "user_room_owner_holds_permission"]


def test_problems_are_listed_in_file_order() -> None:
    text = spec(waiting_area="enabled: maybe", physio="timezone: Nowhere/Land", people="- {key: lee, email: nope, display_name: Lee}")
    lines = [issue.line or 0 for issue in all_issues(text)]
    assert lines == sorted(lines) and len(lines) == 3
