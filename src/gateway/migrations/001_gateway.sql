-- The gateway's tables. Until the gateway had its own migrations this was the core's 004_gateway: a
-- database that ran that records this one as applied without running it (gateway-module.ts).

-- Rooms connected without installing the add-on: a room notification token (sealed by SecretBox) for
-- one room. oauth_id is set when the connection was made from an installation's configuration page.
CREATE TABLE gateway_connections (
  id text PRIMARY KEY,
  oauth_id text REFERENCES installations (oauth_id) ON DELETE CASCADE,
  api_url text NOT NULL,                  -- HipChat's API base, with exactly one trailing slash
  room_id integer NOT NULL,
  room_name text,
  room_token text NOT NULL,               -- sealed by SecretBox
  token_hash text NOT NULL,               -- sha256 of the token: rate-limit key and duplicate check
  command_secret_hash text NOT NULL UNIQUE, -- sha256 of the build-your-own command URL's secret
  token_refused_at timestamptz,           -- HipChat last answered 401 to this token
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (api_url, room_id, token_hash)
);

CREATE INDEX gateway_connections_oauth_idx ON gateway_connections (oauth_id);

-- The outbox is the core's; its connection_id column names a connection of this module (room_token targets).
ALTER TABLE outbox
  ADD CONSTRAINT outbox_connection_fk FOREIGN KEY (connection_id) REFERENCES gateway_connections (id) ON DELETE CASCADE;

-- Incoming hooks. The hook id in the URL is never stored, only its sha256, so a database leak does not
-- leak live hook URLs. A hook posts to an installation's room or through a connection's room token.
CREATE TABLE gateway_hooks (
  id text PRIMARY KEY,
  secret_hash text NOT NULL UNIQUE,
  target_kind text NOT NULL CHECK (target_kind IN ('installation', 'room_token')),
  oauth_id text REFERENCES installations (oauth_id) ON DELETE CASCADE,
  connection_id text REFERENCES gateway_connections (id) ON DELETE CASCADE,
  room_id integer NOT NULL,
  label text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((target_kind = 'installation' AND oauth_id IS NOT NULL) OR (target_kind = 'room_token' AND connection_id IS NOT NULL))
);

CREATE INDEX gateway_hooks_oauth_idx ON gateway_hooks (oauth_id);

CREATE INDEX gateway_hooks_connection_idx ON gateway_hooks (connection_id);

-- Which outbox deliveries a hook queued, so a hook can report on its own deliveries and no others.
CREATE TABLE gateway_hook_deliveries (
  hook_id text NOT NULL REFERENCES gateway_hooks (id) ON DELETE CASCADE,
  delivery_id uuid NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  PRIMARY KEY (hook_id, delivery_id)
);
