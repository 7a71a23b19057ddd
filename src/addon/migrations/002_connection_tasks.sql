-- Token-connected rooms (build-your-own slash command) run the same Tasks as installed rooms. A list
-- now belongs to its owner: an installation (list_owner = its oauth_id) or a connection
-- (list_owner = 'connection:<id>'). The counter row says which, and deleting either owner cascades
-- through task_counters to tasks.
ALTER TABLE tasks DROP CONSTRAINT tasks_oauth_id_fkey;

ALTER TABLE task_counters DROP CONSTRAINT task_counters_oauth_id_fkey;

ALTER TABLE task_counters RENAME COLUMN oauth_id TO list_owner;

ALTER TABLE tasks RENAME COLUMN oauth_id TO list_owner;

ALTER TABLE task_counters
  ADD COLUMN installation_id text REFERENCES installations (oauth_id) ON DELETE CASCADE;

ALTER TABLE task_counters
  ADD COLUMN connection_id text REFERENCES gateway_connections (id) ON DELETE CASCADE;

UPDATE task_counters SET installation_id = list_owner;

ALTER TABLE task_counters
  ADD CONSTRAINT task_counters_one_owner CHECK ((installation_id IS NULL) <> (connection_id IS NULL));

CREATE INDEX task_counters_installation_idx ON task_counters (installation_id);

CREATE INDEX task_counters_connection_idx ON task_counters (connection_id);
