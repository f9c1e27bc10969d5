"""The database schema, as an ordered list of migrations tracked by `PRAGMA user_version`.

Rules a database can hold are written here as constraints and triggers, so that the HTTP layer is
never the only guard: one waiting area per clinic, platform-wide unique names, participant limits,
references that must stay inside one organisation, a waiting count that is the queue's length, and
entry links that never change and are never reused.
"""

OBJECT_COLUMNS = """
    labels TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(labels) AND json_type(labels) = 'object'),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
"""

INITIAL_SCHEMA = f"""
CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120),
    timezone TEXT NOT NULL,
    {OBJECT_COLUMNS}
) STRICT;

CREATE TABLE clinics (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120),
    timezone TEXT NOT NULL,
    {OBJECT_COLUMNS}
) STRICT;
CREATE INDEX clinics_by_organisation ON clinics(organisation_id, id);

CREATE TABLE waiting_areas (
    id TEXT PRIMARY KEY,
    clinic_id TEXT NOT NULL UNIQUE REFERENCES clinics(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    disabled_message TEXT NOT NULL CHECK (length(disabled_message) <= 500),
    opening_hours TEXT NOT NULL CHECK (json_valid(opening_hours)),
    confirm_call_entry INTEGER NOT NULL CHECK (confirm_call_entry IN (0, 1)),
    show_queue_position INTEGER NOT NULL CHECK (show_queue_position IN (0, 1)),
    entry_fields TEXT NOT NULL CHECK (json_valid(entry_fields)),
    automated_messages TEXT NOT NULL CHECK (json_valid(automated_messages)),
    entry_link TEXT NOT NULL UNIQUE,
    waiting_count INTEGER NOT NULL DEFAULT 0 CHECK (waiting_count >= 0),
    {OBJECT_COLUMNS}
) STRICT;
CREATE INDEX waiting_areas_by_organisation ON waiting_areas(organisation_id, id);

CREATE TABLE waiting_area_transfer_targets (
    waiting_area_id TEXT NOT NULL REFERENCES waiting_areas(id) ON DELETE CASCADE,
    clinic_id TEXT NOT NULL REFERENCES clinics(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (waiting_area_id, clinic_id)
) STRICT;
CREATE INDEX transfer_targets_by_clinic ON waiting_area_transfer_targets(clinic_id);

CREATE TRIGGER transfer_targets_stay_in_the_organisation
BEFORE INSERT ON waiting_area_transfer_targets
WHEN NEW.clinic_id = (SELECT clinic_id FROM waiting_areas WHERE id = NEW.waiting_area_id)
  OR (SELECT organisation_id FROM clinics WHERE id = NEW.clinic_id)
     IS NOT (SELECT organisation_id FROM waiting_areas WHERE id = NEW.waiting_area_id)
BEGIN
    SELECT RAISE(ABORT, 'invalid_transfer_target');
END;

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
    org_roles TEXT NOT NULL CHECK (json_valid(org_roles)),
    permissions TEXT NOT NULL CHECK (json_valid(permissions)),
    invitation_state TEXT NOT NULL CHECK (invitation_state IN ('pending', 'accepted')),
    invitation_expires_at TEXT NOT NULL,
    {OBJECT_COLUMNS}
) STRICT;
CREATE UNIQUE INDEX one_member_per_email ON members(organisation_id, email COLLATE NOCASE);

CREATE TABLE member_clinic_roles (
    member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    clinic_id TEXT NOT NULL REFERENCES clinics(id) ON DELETE CASCADE,
    roles TEXT NOT NULL CHECK (json_valid(roles)),
    position INTEGER NOT NULL,
    PRIMARY KEY (member_id, clinic_id)
) STRICT;
CREATE INDEX clinic_roles_by_clinic ON member_clinic_roles(clinic_id);

CREATE TRIGGER clinic_roles_stay_in_the_organisation
BEFORE INSERT ON member_clinic_roles
WHEN (SELECT organisation_id FROM clinics WHERE id = NEW.clinic_id)
     IS NOT (SELECT organisation_id FROM members WHERE id = NEW.member_id)
BEGIN
    SELECT RAISE(ABORT, 'unknown_clinic');
END;

CREATE TABLE rooms (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'group', 'user')),
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    clinic_id TEXT REFERENCES clinics(id) ON DELETE CASCADE,
    owner_member_id TEXT UNIQUE REFERENCES members(id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    max_participants INTEGER NOT NULL CHECK (
        max_participants >= 2 AND max_participants <= CASE kind WHEN 'group' THEN 20 ELSE 6 END
    ),
    room_link TEXT NOT NULL UNIQUE,
    {OBJECT_COLUMNS},
    CHECK ((kind = 'user') = (owner_member_id IS NOT NULL)),
    CHECK (kind <> 'user' OR clinic_id IS NULL)
) STRICT;
CREATE INDEX rooms_by_organisation ON rooms(organisation_id, kind, id);
CREATE INDEX rooms_by_clinic ON rooms(clinic_id, kind, id);

CREATE TRIGGER rooms_stay_in_the_organisation
BEFORE INSERT ON rooms
WHEN (NEW.clinic_id IS NOT NULL
      AND (SELECT organisation_id FROM clinics WHERE id = NEW.clinic_id) IS NOT NEW.organisation_id)
  OR (NEW.owner_member_id IS NOT NULL
      AND (SELECT organisation_id FROM members WHERE id = NEW.owner_member_id) IS NOT NEW.organisation_id)
BEGIN
    SELECT RAISE(ABORT, 'room outside its organisation');
END;

CREATE TABLE room_members (
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (room_id, member_id)
) STRICT;
CREATE INDEX room_members_by_member ON room_members(member_id);

CREATE TRIGGER room_members_stay_in_the_organisation
BEFORE INSERT ON room_members
WHEN (SELECT organisation_id FROM members WHERE id = NEW.member_id)
     IS NOT (SELECT organisation_id FROM rooms WHERE id = NEW.room_id)
BEGIN
    SELECT RAISE(ABORT, 'unknown_member');
END;

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    access TEXT NOT NULL CHECK (access IN ('operator', 'read_write', 'read_only')),
    secret_hash TEXT NOT NULL UNIQUE,
    {OBJECT_COLUMNS},
    CHECK ((access = 'operator') = (organisation_id IS NULL))
) STRICT;
CREATE INDEX tokens_by_organisation ON tokens(organisation_id, id);

CREATE TABLE idempotency_keys (
    token_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
    claimed_by TEXT NOT NULL,
    status INTEGER,
    body BLOB,
    created_epoch REAL NOT NULL,
    PRIMARY KEY (token_id, key),
    CHECK ((state = 'done') = (status IS NOT NULL))
) STRICT;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_epoch);
"""

# The last path segment of a patient entry link, `<public base url>/join/<slug>`.
ENTRY_SLUG = "substr(entry_link, instr(entry_link, '/join/') + 6)"
EPOCH_NOW = "((julianday('now') - 2440587.5) * 86400.0)"

# The queue behind each waiting area's `waiting_count`, and the entry links of waiting areas that are gone.
# A queued caller is a hashed ticket, a join time and an expiry (renewed by the entry page's heartbeat;
# null for callers simulated by the development endpoint): nothing a caller typed is ever kept.
CALLER_QUEUE = f"""
CREATE TABLE queued_callers (
    id TEXT PRIMARY KEY,
    waiting_area_id TEXT NOT NULL REFERENCES waiting_areas(id) ON DELETE CASCADE,
    joined_epoch REAL NOT NULL,
    expires_epoch REAL
) STRICT;
CREATE INDEX queued_callers_in_order ON queued_callers(waiting_area_id, joined_epoch, id);
CREATE INDEX queued_callers_by_expiry ON queued_callers(expires_epoch) WHERE expires_epoch IS NOT NULL;

-- Counts simulated before the queue existed become simulated callers (before the counting triggers).
WITH RECURSIVE seats(waiting_area_id, left_to_seat) AS (
    SELECT id, waiting_count FROM waiting_areas WHERE waiting_count > 0
    UNION ALL SELECT waiting_area_id, left_to_seat - 1 FROM seats WHERE left_to_seat > 1
)
INSERT INTO queued_callers (id, waiting_area_id, joined_epoch, expires_epoch)
SELECT 'sim_' || lower(hex(randomblob(16))), waiting_area_id, {EPOCH_NOW}, NULL FROM seats;

CREATE TRIGGER a_caller_joins AFTER INSERT ON queued_callers
BEGIN
    UPDATE waiting_areas SET waiting_count = waiting_count + 1 WHERE id = NEW.waiting_area_id;
END;

CREATE TRIGGER a_caller_leaves AFTER DELETE ON queued_callers
BEGIN
    UPDATE waiting_areas SET waiting_count = waiting_count - 1 WHERE id = OLD.waiting_area_id;
END;

CREATE TRIGGER waiting_count_is_the_queue_length
BEFORE UPDATE OF waiting_count ON waiting_areas
WHEN NEW.waiting_count IS NOT (SELECT count(*) FROM queued_callers WHERE waiting_area_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'waiting_count is the length of the queue');
END;

CREATE TRIGGER entry_links_never_change
BEFORE UPDATE OF entry_link ON waiting_areas
WHEN NEW.entry_link IS NOT OLD.entry_link
BEGIN
    SELECT RAISE(ABORT, 'entry links never change');
END;

CREATE UNIQUE INDEX waiting_areas_by_entry_slug ON waiting_areas({ENTRY_SLUG});

CREATE TABLE retired_entry_links (
    entry_link TEXT PRIMARY KEY,
    retired_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX retired_entry_links_by_slug ON retired_entry_links({ENTRY_SLUG});

CREATE TRIGGER entry_links_retire_with_their_waiting_area AFTER DELETE ON waiting_areas
BEGIN
    INSERT OR IGNORE INTO retired_entry_links (entry_link, retired_at)
    VALUES (OLD.entry_link, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER retired_entry_links_are_never_reused
BEFORE INSERT ON waiting_areas
WHEN EXISTS (SELECT 1 FROM retired_entry_links WHERE {ENTRY_SLUG} = substr(NEW.entry_link, instr(NEW.entry_link, '/join/') + 6))
BEGIN
    SELECT RAISE(ABORT, 'entry link retired');
END;
"""

# The platform's access model (docs/access-model.md): permissions per clinic on each clinic role entry, tokens
# that act as one member, user rooms that belong to a person in a clinic (one per owner per clinic), and waiting
# areas shared with the organisation for transfers. Rooms are rebuilt to drop two constraints; their member
# lists are kept aside meanwhile, since dropping the table cascades to them.
ACCESS_MODEL = f"""
ALTER TABLE member_clinic_roles ADD COLUMN permissions TEXT NOT NULL DEFAULT '{{}}'
    CHECK (json_valid(permissions) AND json_type(permissions) = 'object');
ALTER TABLE waiting_areas ADD COLUMN shared_for_transfers INTEGER NOT NULL DEFAULT 0
    CHECK (shared_for_transfers IN (0, 1));

CREATE TABLE tokens_v3 (
    id TEXT PRIMARY KEY,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE CASCADE,
    member_id TEXT REFERENCES members(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    access TEXT NOT NULL CHECK (access IN ('operator', 'read_write', 'read_only', 'member')),
    secret_hash TEXT NOT NULL UNIQUE,
    {OBJECT_COLUMNS},
    CHECK ((access = 'operator') = (organisation_id IS NULL)),
    CHECK ((access = 'member') = (member_id IS NOT NULL))
) STRICT;
INSERT INTO tokens_v3 (id, organisation_id, member_id, name, access, secret_hash, labels, created_at, updated_at, version)
SELECT id, organisation_id, NULL, name, access, secret_hash, labels, created_at, updated_at, version FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_v3 RENAME TO tokens;
CREATE INDEX tokens_by_organisation ON tokens(organisation_id, id);

CREATE TEMP TABLE room_members_kept AS SELECT room_id, member_id, position FROM room_members;
DROP TRIGGER room_members_stay_in_the_organisation;
CREATE TABLE rooms_v3 (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'group', 'user')),
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    clinic_id TEXT REFERENCES clinics(id) ON DELETE CASCADE,
    owner_member_id TEXT REFERENCES members(id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    max_participants INTEGER NOT NULL CHECK (
        max_participants >= 2 AND max_participants <= CASE kind WHEN 'group' THEN 20 ELSE 6 END
    ),
    room_link TEXT NOT NULL UNIQUE,
    {OBJECT_COLUMNS},
    CHECK ((kind = 'user') = (owner_member_id IS NOT NULL))
) STRICT;
INSERT INTO rooms_v3 SELECT id, kind, organisation_id, clinic_id, owner_member_id, name, max_participants, room_link,
    labels, created_at, updated_at, version FROM rooms;
DROP TABLE rooms;
ALTER TABLE rooms_v3 RENAME TO rooms;
CREATE INDEX rooms_by_organisation ON rooms(organisation_id, kind, id);
CREATE INDEX rooms_by_clinic ON rooms(clinic_id, kind, id);
CREATE UNIQUE INDEX one_user_room_per_owner_per_clinic ON rooms(owner_member_id, ifnull(clinic_id, ''))
    WHERE owner_member_id IS NOT NULL;
INSERT INTO room_members (room_id, member_id, position) SELECT room_id, member_id, position FROM room_members_kept;
DROP TABLE room_members_kept;

CREATE TRIGGER room_members_stay_in_the_organisation
BEFORE INSERT ON room_members
WHEN (SELECT organisation_id FROM members WHERE id = NEW.member_id)
     IS NOT (SELECT organisation_id FROM rooms WHERE id = NEW.room_id)
BEGIN
    SELECT RAISE(ABORT, 'unknown_member');
END;

CREATE TRIGGER rooms_stay_in_the_organisation
BEFORE INSERT ON rooms
WHEN (NEW.clinic_id IS NOT NULL
      AND (SELECT organisation_id FROM clinics WHERE id = NEW.clinic_id) IS NOT NEW.organisation_id)
  OR (NEW.owner_member_id IS NOT NULL
      AND (SELECT organisation_id FROM members WHERE id = NEW.owner_member_id) IS NOT NEW.organisation_id)
BEGIN
    SELECT RAISE(ABORT, 'room outside its organisation');
END;
"""

# What organisation and clinic administrators configure (docs/access-model.md): the organisation's information,
# and the waiting area's support information, call locks, joining-a-call options, connection check and alerts.
ADMIN_SETTINGS = """
ALTER TABLE organisations ADD COLUMN information TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(information) AND json_type(information) = 'object');
CREATE UNIQUE INDEX custom_urls_are_unique ON organisations(json_extract(information, '$.custom_url'))
    WHERE json_extract(information, '$.custom_url') IS NOT NULL;
ALTER TABLE waiting_areas ADD COLUMN support_information TEXT NOT NULL DEFAULT ''
    CHECK (length(support_information) <= 500);
ALTER TABLE waiting_areas ADD COLUMN call_locks INTEGER NOT NULL DEFAULT 0 CHECK (call_locks IN (0, 1));
ALTER TABLE waiting_areas ADD COLUMN joining TEXT NOT NULL
    DEFAULT '{"guest_photo": "required", "last_name_mandatory": false, "camera_preview": true, "callers_may_mute": false}'
    CHECK (json_valid(joining) AND json_type(joining) = 'object');
ALTER TABLE waiting_areas ADD COLUMN connection_check TEXT NOT NULL DEFAULT 'off'
    CHECK (connection_check IN ('off', 'permissive', 'exceptions_only', 'restricted', 'strict'));
ALTER TABLE waiting_areas ADD COLUMN new_caller_alerts TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(new_caller_alerts) AND json_type(new_caller_alerts) = 'array');
"""

MIGRATIONS: tuple[str, ...] = (INITIAL_SCHEMA, CALLER_QUEUE, ACCESS_MODEL, ADMIN_SETTINGS)
