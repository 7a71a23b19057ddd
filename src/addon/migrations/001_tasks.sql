-- The Tasks add-on. Tasks belong to (installation, room): a global installation keeps each room apart.
-- Numbers come from a per-room counter row, never reused, even after a delete.
CREATE TABLE task_counters (
  oauth_id text NOT NULL REFERENCES installations (oauth_id) ON DELETE CASCADE,
  room_id integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (oauth_id, room_id)
);

CREATE TABLE tasks (
  oauth_id text NOT NULL,
  room_id integer NOT NULL,
  number integer NOT NULL,
  text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 500),
  done boolean NOT NULL DEFAULT false,
  assignee text,                          -- a mention name, without "@"
  created_by text,                        -- HipChat user id of the author, when known
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (oauth_id, room_id, number),
  FOREIGN KEY (oauth_id, room_id) REFERENCES task_counters (oauth_id, room_id) ON DELETE CASCADE,
  FOREIGN KEY (oauth_id) REFERENCES installations (oauth_id) ON DELETE CASCADE
);

-- Per-installation settings, edited on the configuration page.
CREATE TABLE task_settings (
  oauth_id text PRIMARY KEY REFERENCES installations (oauth_id) ON DELETE CASCADE,
  announce_new_tasks boolean NOT NULL DEFAULT false,
  notification_color text NOT NULL DEFAULT 'yellow'
    CHECK (notification_color IN ('yellow', 'green', 'red', 'purple', 'gray', 'random')),
  updated_at timestamptz NOT NULL DEFAULT now()
);
