"""Every problem in one round: field problems and whole-structure problems together, and never a consequence twice."""

from __future__ import annotations

import pytest

from schemas import validate_spec_data, validate_spec_text
from schemas.source import read_spec_text

from .specs import all_issues, marked_line, spec

ORG = "organisations[metro]"


def test_a_timezone_typo_and_an_old_transfer_list_are_both_reported() -> None:
    text = spec(physio="timezone: Australia/Sidney", waiting_area="transfer_targets: [cardiology]")
    assert sorted(issue.rule for issue in all_issues(text)) == ["timezone_is_iana", "transfer_targets_are_not_a_platform_setting"]


def test_twelve_independent_problems_are_twelve_problems() -> None:
    text = spec(
        physio="timezone: Mars/Olympus",
        waiting_area="transfer_targets: [oncology]",
        clinics="""
            - key: gp
              name: Metro GP
              waiting_area:
                name: GP
                opening_hours: {monday: {open: "17:00", close: "17:00"}, tuesday: {open: "8", close: "17:00"}}
        """,
        organisation="""
            meeting_rooms: [{key: leads, name: Leads, members: [alex, nobody]}]
            user_rooms: [{key: kim-room, owner: kim, name: Kim's room}]
        """,
        people=r"""
            - {key: lee, email: lee-at-metro, display_name: Lee, clinic_roles: [{clinic: gp, roles: [reception]}]}
            - {key: max, email: max@metro.example, display_name: Max, org_roles: [owner]}
            - {key: sam, email: Alex@Metro.example, display_name: "Sam\0", clinic_roles: [{clinic: radiology, roles: [admin]}]}
        """,
    )
    issues = all_issues(text)
    assert sorted(issue.rule for issue in issues) == sorted([
        "timezone_is_iana", "transfer_targets_are_not_a_platform_setting", "opens_before_it_closes", "time_is_hh_mm",
        "room_members_resolve", "user_rooms_belong_to_a_clinic", "clinic_role_is_a_platform_role", "email_is_valid",
        "literal_error", "people_emails_unique", "name_has_no_control_characters", "clinic_roles_resolve",
    ]), "\n".join(map(str, issues))
    assert all(issue.line is not None for issue in issues)


def test_a_clinic_with_an_unknown_role_entry_is_not_said_to_lack_an_admin() -> None:
    text = spec(clinics="""
        - key: gp
          name: Metro GP
    """, people="""
        - {key: lee, email: lee@metro.example, display_name: Lee, clinic_roles: [{clinic: gp, roles: [admin, nurse]}]}  # <-
    """)
    (issue,) = all_issues(text)
    assert issue.rule == "literal_error" and issue.line == marked_line(text)


def test_references_to_people_whose_keys_are_not_known_are_not_reported() -> None:
    text = spec(people="- not a person", physio="user_rooms: [{key: lee-room, owner: lee, name: Lee's room}]")
    assert [issue.rule for issue in all_issues(text)] == ["model_type"]


def test_references_to_known_people_are_still_checked_beside_an_unknown_one() -> None:
    text = spec(people="- not a person", physio="user_rooms: [{key: kim-room, owner: kim, name: Kim's room}]")
    assert sorted(issue.rule for issue in all_issues(text)) == ["model_type", "user_room_owner_holds_permission"]


def test_an_invalid_value_is_never_compared() -> None:
    text = spec(physio="name: Metro Renal", clinics="""
        - key: gp
          name: ""
        - key: xray
          name: ""
    """)
    rules = [issue.rule for issue in all_issues(text)]
    assert rules.count("clinic_names_unique") == 1 and rules.count("string_too_short") == 2


@pytest.mark.parametrize(("monday", "rule"), [
    ('&day {open: "8", close: "17:00"}  # <-', "time_is_hh_mm"),
    ('&day\n  open: "08:00"\n  open: "09:00"  # <-\n  close: "17:00"', "field_given_once"),
], ids=["invalid value", "field given twice"])
def test_a_problem_inside_an_anchor_is_reported_once_however_often_it_is_used(monday: str, rule: str) -> None:
    text = spec(waiting_area="opening_hours:\n  monday: " + monday.replace("\n", "\n  ") + "\n  tuesday: *day\n  wednesday: *day")
    (issue,) = all_issues(text)
    assert issue.rule == rule and issue.line == marked_line(text)


def test_a_problem_reached_through_a_merge_points_at_the_merge() -> None:
    text = spec(waiting_area="""
        opening_hours:
          monday: &day {open: "08:00", close: "17:00"}
          tuesday:
            <<: *day
            colour: blue  # <-
    """)
    (issue,) = all_issues(text)
    assert issue.rule == "extra_forbidden" and issue.line == marked_line(text)


def test_an_empty_list_of_organisations_needs_allow_empty() -> None:
    text = "version: 1\norganisations: []  # <-\n"
    (issue,) = all_issues(text)
    assert issue.rule == "organisations_declared" and issue.line == 2 and "allow_empty: true" in issue.message
    assert validate_spec_text("version: 1\nallow_empty: true\norganisations: []\n").organisations == []


def test_a_long_hint_names_the_count_and_the_nearest_keys() -> None:
    data = read_spec_text(spec(), "x").data
    metro = data["organisations"][0]
    metro["clinics"] += [{"key": f"clinic-{n}", "name": f"Clinic {n}"} for n in range(4000)]
    metro["people"][0]["clinic_roles"] += [{"clinic": f"clinic-{n}", "roles": ["admin"]} for n in range(4000)]
    metro["people"][1]["clinic_roles"] = [{"clinic": "clinic-40000", "roles": ["team_member"]}]
    with pytest.raises(Exception) as caught:
        validate_spec_data(data)
    (issue,) = caught.value.errors  # type: ignore[attr-defined]
    assert "(one of 4,002 clinics; nearest: clinic-400" in issue.message and len(issue.message) < 200


def test_a_short_hint_lists_every_key() -> None:
    (issue,) = all_issues(spec(people="- {key: lee, email: lee@metro.example, display_name: Lee, clinic_roles: [{clinic: oncology, roles: [team_member]}]}"))
    assert issue.message.endswith("(known clinics: renal, physio)")
