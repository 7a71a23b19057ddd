-- One update per person, room and day; removed with the installation.
CREATE TABLE standup_updates (
  oauth_id text NOT NULL REFERENCES installations (oauth_id) ON DELETE CASCADE,
  room_id integer NOT NULL,
  user_id text NOT NULL,
  day date NOT NULL,
  name text,
  text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 500),
  PRIMARY KEY (oauth_id, room_id, day, user_id)
);

-- Who was reminded on entering a room, so that it happens at most once a day.
CREATE TABLE standup_reminders (
  oauth_id text NOT NULL REFERENCES installations (oauth_id) ON DELETE CASCADE,
  room_id integer NOT NULL,
  user_id text NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (oauth_id, room_id, day, user_id)
);
