"""Riverside Community Health's renal clinic, declared in Python: the resources take each other as arguments."""

import pulumi

from resources import (
    Clinic, ClinicPermissions, DayHours, EntryField, GroupRoom, MeetingRoom, Member, OpeningHours, Organisation, UserRoom,
    WaitingArea, WaitingAreaSettings,
)

WEEKDAY = DayHours(open="08:00", close="17:00")

riverside = Organisation("riverside", key="riverside", name="Riverside Community Health", timezone="Australia/Perth")
renal = Clinic("riverside.renal", organisation=riverside, key="renal", name="Riverside Renal Clinic",
               timezone="Australia/Perth")
waiting_area = WaitingArea(
    "riverside.renal-waiting-area",
    clinic=renal,
    settings=WaitingAreaSettings(
        name="Renal clinic waiting area",
        opening_hours=OpeningHours(monday=WEEKDAY, tuesday=WEEKDAY, wednesday=WEEKDAY, thursday=WEEKDAY,
                                   friday=DayHours(open="08:00", close="13:00")),
        entry_fields=[EntryField(label="Date of birth", type="date", required=True)],
    ),
)
dr_lee = Member("riverside.dr-lee", organisation=riverside, key="dr-lee", email="lee@riverside.example",
                display_name="Dr Mei Lee", org_roles=["admin"], clinic_roles={renal: ["admin"]},
                clinic_permissions={renal: ClinicPermissions(meeting_rooms=True, user_room=True)})
# The platform lets nobody into a clinic before its first Clinic Administrator.
nurse_ali = Member("riverside.nurse-ali", organisation=riverside, key="nurse-ali", email="ali@riverside.example",
                   display_name="Ali Hassan", clinic_roles={renal: ["team_member"]},
                   clinic_permissions={renal: ClinicPermissions(meeting_rooms=True)},
                   opts=pulumi.ResourceOptions(depends_on=[dr_lee]))
MeetingRoom("riverside.renal-handover", organisation=riverside, clinic=renal, key="renal-handover",
            name="Renal handover", members=[dr_lee, nurse_ali])
GroupRoom("riverside.dialysis-education", organisation=riverside, clinic=renal, key="dialysis-education",
          name="Home dialysis education", max_participants=12)
UserRoom("riverside.dr-lee-room", organisation=riverside, clinic=renal, owner=dr_lee, key="dr-lee-room",
         name="Dr Lee's room")

pulumi.export("entry_link", waiting_area.entry_link)
