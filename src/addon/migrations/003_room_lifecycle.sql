-- Tasks follows its rooms: the opt-in reminder of a person's open tasks when they enter a room (sent at
-- most once a day per person and room), and the frozen list of an archived room.
ALTER TABLE task_settings ADD COLUMN remind_on_enter boolean NOT NULL DEFAULT false;

-- The last reminder per installation, room and person: the room_enter handler's INSERT … ON CONFLICT
-- claims a day's reminder in the event's transaction, so two instances (or a retry) send it once.
CREATE TABLE task_reminders (
  oauth_id text NOT NULL REFERENCES installations (oauth_id) ON DELETE CASCADE,
  room_id integer NOT NULL,
  user_id text NOT NULL,
  reminded_at timestamptz NOT NULL,
  PRIMARY KEY (oauth_id, room_id, user_id)
);

-- Rooms HipChat archived (room_archived): their lists take no changes until room_unarchived.
CREATE TABLE task_frozen_rooms (
  oauth_id text NOT NULL REFERENCES installations (oauth_id) ON DELETE CASCADE,
  room_id integer NOT NULL,
  frozen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (oauth_id, room_id)
);
