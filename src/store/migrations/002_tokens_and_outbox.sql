-- Access tokens shared by every instance: one per installation and scope set, sealed by SecretBox.
-- secret_fingerprint ties a token to the OAuth secret it was obtained with, so an update (new secret)
-- never reuses a token of the old credentials.
CREATE TABLE access_tokens (
  oauth_id text NOT NULL REFERENCES installations (oauth_id) ON DELETE CASCADE,
  scopes text NOT NULL,                   -- space-separated, sorted
  secret_fingerprint text NOT NULL,
  access_token text NOT NULL,             -- sealed by SecretBox
  token_hash text NOT NULL,               -- sha256 of the token, to drop exactly the one HipChat refused
  refresh_at timestamptz NOT NULL,        -- shortly before expires_at: after it, fetch a new one
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (oauth_id, scopes)
);

-- Every call to HipChat's REST API, written (where there is one) in the transaction that caused it.
-- Delivered at least once, in seq order per room_key.
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  target_kind text NOT NULL,
  oauth_id text REFERENCES installations (oauth_id) ON DELETE CASCADE,
  connection_id text,
  room_id integer NOT NULL,
  room_key text NOT NULL,                 -- ordering key: the target's room
  operation text NOT NULL,                -- room_notification, room_message, room_glance, ...
  method text NOT NULL,
  path text NOT NULL,                     -- relative to the API base URL
  body jsonb,
  counts_as_message boolean NOT NULL,     -- subject to flood control per room
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_by text,
  claimed_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);

-- Claiming walks pending items in seq order and checks each has no pending predecessor in its room.
CREATE INDEX outbox_pending_seq_idx ON outbox (seq) WHERE state = 'pending';

CREATE INDEX outbox_pending_room_idx ON outbox (room_key, seq) WHERE state = 'pending';

CREATE INDEX outbox_failed_idx ON outbox (created_at) WHERE state = 'failed';

CREATE INDEX outbox_oauth_idx ON outbox (oauth_id);

CREATE INDEX outbox_connection_idx ON outbox (connection_id);
