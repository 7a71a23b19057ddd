-- One row per HipChat installation (one OAuth client each): a room installation has room_id, a global one not.
CREATE TABLE installations (
  oauth_id text PRIMARY KEY,
  oauth_secret text NOT NULL,             -- sealed by SecretBox
  group_id integer NOT NULL,
  room_id integer,
  capabilities_url text NOT NULL,
  token_url text NOT NULL,
  api_url text NOT NULL,                  -- hipchatApiProvider.url, always with a trailing slash
  hipchat_base_url text NOT NULL,         -- origin of the HipChat host (for all.js and framing)
  scopes text NOT NULL,                   -- space-separated, as granted at install
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX installations_group_idx ON installations (group_id);

-- An uninstall request that HipChat has not yet confirmed (the OAuth client still worked when it came).
CREATE TABLE uninstall_checks (
  oauth_id text PRIMARY KEY REFERENCES installations (oauth_id) ON DELETE CASCADE,
  requested_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  next_check_at timestamptz NOT NULL
);
