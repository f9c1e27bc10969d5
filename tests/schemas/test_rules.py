"""Every rule: a spec that breaks it is refused, naming the path, the file line and what to do."""

from __future__ import annotations

import pytest

from .specs import issue_at, marked_line, spec

ORG = "organisations[metro]"
RENAL = f"{ORG}.clinics[renal]"
WAITING = f"{RENAL}.waiting_area"
PHYSIO = f"{ORG}.clinics[physio]"

CASES = [
    # one waiting area per clinic
    ("second_waiting_area_in_clinic", dict(physio="""
        waiting_area: {name: One}
        waiting_area: {name: Two}  # <-
     """), f"{PHYSIO}.waiting_area", "given twice"),
    ("waiting_area_as_a_list", dict(physio="""
        waiting_area:  # <-
          - {name: One}
          - {name: Two}
     """), f"{PHYSIO}.waiting_area", "must be a mapping of fields"),
    # participant limits
    ("meeting_room_over_six", dict(physio="""
        meeting_rooms:
          - key: huddle
            name: Huddle
            max_participants: 7  # <-
     """), f"{PHYSIO}.meeting_rooms[huddle].max_participants", "use a group room"),
    ("meeting_room_under_two", dict(organisation="""
        meeting_rooms:
          - {key: solo, name: Solo, max_participants: 1}  # <-
     """), f"{ORG}.meeting_rooms[solo].max_participants", "at least 2"),
    ("user_room_over_six", dict(organisation="""
        user_rooms:
          - {key: alex-room, owner: alex, name: Alex's room, max_participants: 10}  # <-
     """), f"{ORG}.user_rooms[alex-room].max_participants", "use a group room"),
    ("group_room_under_two", dict(organisation="""
        group_rooms:
          - key: small-class
            name: Small class
            max_participants: 1  # <-
     """), f"{ORG}.group_rooms[small-class].max_participants", "at least 2"),
    ("group_room_over_twenty", dict(physio="""
        group_rooms:
          - {key: big-class, name: Big class, max_participants: 21}  # <-
     """), f"{PHYSIO}.group_rooms[big-class].max_participants", "at most 20"),
    # unique names
    ("clinic_names_unique_platform_wide", dict(organisations="""
        - key: other
          name: Other Health
          clinics:
            - key: renal
              name: metro renal  # <-
          people:
            - {key: bo, email: bo@other.example, display_name: Bo, org_roles: [admin], clinic_roles: [{clinic: renal, roles: [admin]}]}
     """), "organisations[other].clinics[renal].name", "unique across the whole platform"),
    ("organisation_names_unique", dict(organisations="""
        - key: other
          name: Metro Health  # <-
          people: [{key: bo, email: bo@other.example, display_name: Bo, org_roles: [admin]}]
     """), "organisations[other].name", "already named"),
    # admins
    ("clinic_has_an_admin", dict(clinics="""
        - key: cardiology  # <-
          name: Metro Cardiology
     """), f"{ORG}.clinics[cardiology]", "has no admin"),
    ("organisation_has_an_admin", dict(organisations="""
        - key: other
          name: Other Health
          people: [{key: bo, email: bo@other.example, display_name: Bo, org_roles: [reporter]}]  # <-
     """), "organisations[other].people", "has no admin"),
    # keys
    ("key_well_formed", dict(clinics="""
        - key: Cardiology Clinic  # <-
          name: Metro Cardiology
     """), f"{ORG}.clinics[2].key", "not a valid key"),
    ("key_at_most_63_characters", dict(physio=f"""
        group_rooms: [{{key: {"a" * 64}, name: Long}}]  # <-
     """), f"{PHYSIO}.group_rooms[0].key", "up to 63"),
    ("clinic_keys_unique", dict(clinics="""
        - key: renal  # <-
          name: Metro Renal Two
     """), f"{ORG}.clinics[renal].key", "used twice"),
    ("room_keys_unique_across_kinds_and_scopes", dict(physio="""
        meeting_rooms: [{key: huddle, name: Huddle}]
     """, organisation="""
        group_rooms:
          - {key: huddle, name: Big huddle}  # <-
     """), f"{ORG}.group_rooms[huddle].key", "used twice"),
    ("person_keys_unique", dict(people="""
        - key: kim  # <-
          email: kim2@metro.example
          display_name: Kim Again
     """), f"{ORG}.people[kim].key", "used twice"),
    ("organisation_keys_unique", dict(organisations="""
        - key: metro  # <-
          name: Metro Health Two
          people: [{key: bo, email: bo@other.example, display_name: Bo, org_roles: [admin]}]
     """), "organisations[metro].key", "used twice"),
    # references
    ("transfer_targets_are_not_a_platform_setting", dict(waiting_area="""
        transfer_targets: [physio]  # <-
     """), f"{WAITING}.transfer_targets", "`shared_for_transfers: true` on the waiting area of 'physio'"),
    ("clinic_role_is_a_platform_role", dict(people="""
        - key: desk
          email: desk@metro.example
          display_name: Desk
          clinic_roles: [{clinic: physio, roles: [reception]}]  # <-
     """), f"{ORG}.people[desk].clinic_roles[0].roles[0]", "write 'clerk' for someone who adds colleagues"),
    ("permissions_are_per_clinic", dict(people="""
        - key: lee
          email: lee@metro.example
          display_name: Lee
          clinic_roles: [{clinic: physio, roles: [team_member]}]
          permissions: {meeting_rooms: true}  # <-
     """), f"{ORG}.people[lee].permissions", "`permissions: {meeting_rooms: true}` in the clinic_roles entry of each clinic where it applies (physio)"),
    ("service_referrer_is_an_additional_role", dict(people="""
        - key: lee
          email: lee@metro.example
          display_name: Lee
          clinic_roles:
            - {clinic: physio, roles: [service_referrer]}  # <-
     """), f"{ORG}.people[lee].clinic_roles[0].roles", "needs the role admin or team_member in another clinic"),
    ("service_referrer_holds_no_other_role_here", dict(people="""
        - key: lee
          email: lee@metro.example
          display_name: Lee
          clinic_roles:
            - {clinic: renal, roles: [team_member]}
            - {clinic: physio, roles: [service_referrer, team_member]}  # <-
     """), f"{ORG}.people[lee].clinic_roles[1].roles", "holds no other role"),
    ("permissions_need_a_role", dict(people="""
        - key: lee
          email: lee@metro.example
          display_name: Lee
          clinic_roles:
            - {clinic: renal, roles: [team_member]}
            - {clinic: physio, roles: [service_referrer], permissions: {meeting_rooms: true}}  # <-
     """), f"{ORG}.people[lee].clinic_roles[1].permissions", "needs the role admin, clerk or team_member"),
    ("room_members_resolve_permission", dict(physio="""
        meeting_rooms:
          - key: huddle
            name: Huddle
            members:
              - kim  # <-
     """), f"{PHYSIO}.meeting_rooms[huddle].members[0]", "give them `permissions: {meeting_rooms: true}` in the clinic 'physio'"),
    ("room_member_unknown", dict(organisation="""
        meeting_rooms:
          - key: leads
            name: Leads
            members: [alex, nobody]  # <-
     """), f"{ORG}.meeting_rooms[leads].members[1]", "no person 'nobody'"),
    ("clinic_room_member_without_clinic_role", dict(waiting_area="""
        transfer_targets: []
     """, clinics="""
        - key: cardiology
          name: Metro Cardiology
          meeting_rooms:
            - key: cardiac-huddle
              name: Cardiac huddle
              members:
                - kim  # <-
     """, people="""
        - {key: cat, email: cat@metro.example, display_name: Cat, clinic_roles: [{clinic: cardiology, roles: [admin]}]}
     """), f"{ORG}.clinics[cardiology].meeting_rooms[cardiac-huddle].members[0]", "no role in the clinic 'cardiology'"),
    ("user_room_owner_holds_permission", dict(physio="""
        user_rooms:
          - key: kim-room
            owner: kim  # <-
            name: Kim's room
     """), f"{PHYSIO}.user_rooms[kim-room].owner", "`permissions: {user_room: true}` in its clinic_roles entry"),
    ("user_room_owner_unknown", dict(physio="""
        user_rooms: [{key: ghost-room, owner: ghost, name: Ghost}]  # <-
     """), f"{PHYSIO}.user_rooms[ghost-room].owner", "no person 'ghost'"),
    ("one_user_room_per_owner", dict(physio="""
        user_rooms:
          - {key: alex-room, owner: alex, name: Alex's room}
          - {key: alex-room-2, owner: alex, name: Alex's other room}  # <-
     """), f"{PHYSIO}.user_rooms[alex-room-2].owner", "one per clinic"),
    ("alerts_name_their_recipient", dict(waiting_area="""
        new_caller_alerts:
          - {channel: sms}  # <-
     """), f"{WAITING}.new_caller_alerts[0].to", "the phone number it goes to"),
    ("url_is_https", dict(organisation="""
        information:
          privacy_url: http://metro.example/privacy  # <-
     """), f"{ORG}.information.privacy_url", "starting with https://"),
    ("user_rooms_belong_to_a_clinic", dict(organisation="""
        user_rooms:
          - {key: alex-room, owner: alex, name: Alex's room}  # <-
     """), f"{ORG}.user_rooms[alex-room]", "move this entry to `user_rooms` under `clinics` in one of the clinics where 'alex' works (renal, physio)"),
    ("clinic_roles_resolve", dict(people="""
        - key: lee
          email: lee@metro.example
          display_name: Lee
          clinic_roles:
            - {clinic: oncology, roles: [team_member]}  # <-
     """), f"{ORG}.people[lee].clinic_roles[0].clinic", "no clinic 'oncology'"),
    # timezones
    ("timezone_is_iana_clinic", dict(physio="""
        timezone: Australia/Sidney  # <-
     """), f"{PHYSIO}.timezone", "did you mean 'Australia/Sydney'"),
    ("timezone_is_iana_organisation", dict(organisation="""
        timezone: AEST  # <-
     """), f"{ORG}.timezone", "not an IANA timezone"),
    # opening hours
    ("time_is_hh_mm", dict(waiting_area="""
        opening_hours:
          monday: {open: "8am", close: "17:00"}  # <-
     """), f"{WAITING}.opening_hours.monday.open", "HH:MM"),
    ("opens_before_it_closes", dict(waiting_area="""
        opening_hours:
          friday:
            open: "09:00"
            close: "09:00"  # <-
     """), f"{WAITING}.opening_hours.friday.close", "write open '00:00' and close '24:00'"),
    ("overnight_hours_end_before_the_next_day_opens", dict(waiting_area="""
        opening_hours:
          friday:
            open: "22:00"
            close: "09:00"  # <-
          saturday: {open: "08:00", close: "12:00"}
     """), f"{WAITING}.opening_hours.friday.close", "after saturday opens at 08:00"),
    ("breaks_inside_overnight_hours", dict(waiting_area="""
        opening_hours:
          saturday:
            open: "22:00"
            close: "06:00"
            breaks:
              - {start: "05:30", end: "07:00"}  # <-
     """), f"{WAITING}.opening_hours.saturday.breaks[0]", "outside the opening hours"),
    ("breaks_inside_opening_hours", dict(waiting_area="""
        opening_hours:
          monday:
            open: "08:00"
            close: "17:00"
            breaks:
              - {start: "07:30", end: "08:15"}  # <-
     """), f"{WAITING}.opening_hours.monday.breaks[0]", "outside the opening hours"),
    ("breaks_sorted", dict(waiting_area="""
        opening_hours:
          monday:
            open: "08:00"
            close: "17:00"
            breaks:
              - {start: "15:00", end: "15:15"}
              - {start: "12:00", end: "12:30"}  # <-
     """), f"{WAITING}.opening_hours.monday.breaks[1]", "time order"),
    ("breaks_non_overlapping", dict(waiting_area="""
        opening_hours:
          tuesday:
            open: "08:00"
            close: "17:00"
            breaks:
              - {start: "12:00", end: "13:00"}
              - {start: "12:30", end: "13:30"}  # <-
     """), f"{WAITING}.opening_hours.tuesday.breaks[1]", "overlaps"),
    ("breaks_start_before_they_end", dict(waiting_area="""
        opening_hours:
          monday:
            open: "08:00"
            close: "17:00"
            breaks:
              - start: "12:00"
                end: "12:00"  # <-
     """), f"{WAITING}.opening_hours.monday.breaks[0].end", "not after its start"),
    ("weekday_misspelt", dict(waiting_area="""
        opening_hours:
          wensday: {open: "08:00", close: "17:00"}  # <-
     """), f"{WAITING}.opening_hours.wensday", "did you mean 'wednesday'"),
    # waiting area contents
    ("entry_field_labels_unique", dict(waiting_area="""
        entry_fields:
          - {label: Date of birth, type: date}
          - {label: date of birth, type: text}  # <-
     """), f"{WAITING}.entry_fields[1].label", "used twice"),
    ("entry_field_type", dict(waiting_area="""
        entry_fields:
          - {label: Phone, type: telephone}  # <-
     """), f"{WAITING}.entry_fields[0].type", "'phone'"),
    ("at_most_ten_entry_fields", dict(waiting_area="entry_fields:  # <-\n" + "".join(f"  - {{label: Question {n}}}\n" for n in range(11))),
     f"{WAITING}.entry_fields", "at most 10"),
    ("automated_message_minutes", dict(waiting_area="""
        automated_messages:
          - {after_minutes: -5, text: Hello}  # <-
     """), f"{WAITING}.automated_messages[0].after_minutes", "at least 0"),
    # people
    ("email_is_valid", dict(people="""
        - key: lee
          email: lee.metro.example  # <-
          display_name: Lee
     """), f"{ORG}.people[lee].email", "not a valid email address"),
    ("people_emails_unique", dict(people="""
        - key: lee
          email: Kim@Metro.example  # <-
          display_name: Lee
     """), f"{ORG}.people[lee].email", "belongs to another person"),
    ("org_role_known", dict(people="""
        - key: lee
          email: lee@metro.example
          display_name: Lee
          org_roles: [owner]  # <-
     """), f"{ORG}.people[lee].org_roles[0]", "'admin', 'coordinator' or 'reporter'"),
    ("clinic_role_known", dict(people="""
        - key: lee
          email: lee@metro.example
          display_name: Lee
          clinic_roles: [{clinic: renal, roles: [nurse]}]  # <-
     """), f"{ORG}.people[lee].clinic_roles[0].roles[0]", "'team_member'"),
    # unknown fields, types, labels
    ("unknown_field", dict(physio="""
        waiting_room: {name: Physio}  # <-
     """), f"{PHYSIO}.waiting_room", "unknown field 'waiting_room'; did you mean 'waiting_area'"),
    ("unknown_field_without_close_match", dict(waiting_area="""
        colour: blue  # <-
     """), f"{WAITING}.colour", "allowed fields here: name, enabled"),
    ("bool_not_text", dict(waiting_area="""
        enabled: "yes"  # <-
     """), f"{WAITING}.enabled", "true or false"),
    ("name_is_text", dict(physio="""
        timezone: Australia/Perth
     """, clinics="""
        - key: cardiology
          name: 12345  # <-
     """), f"{ORG}.clinics[cardiology].name", "must be text"),
    ("missing_required_field", dict(organisation="""
        group_rooms:
          - key: rounds  # <-
     """), f"{ORG}.group_rooms[rounds].name", "required field 'name' is missing"),
    ("label_key_well_formed", dict(physio="""
        labels: {Cost Centre: "4410"}  # <-
     """), f'{PHYSIO}.labels["Cost Centre"]', "not a valid label key"),
]


@pytest.mark.parametrize(("snippets", "path", "says"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_rule_names_path_line_and_fix(snippets: dict[str, str], path: str, says: str) -> None:
    text = spec(**snippets)
    issue = issue_at(text, path)
    assert issue.line == marked_line(text)
    assert issue.column is not None and issue.file == "spec.yaml"
    assert says in issue.message
    assert str(issue).startswith(f"spec.yaml:{issue.line}:{issue.column}: {path}: ")
