-- When the add-on last asked HipChat's token endpoint whether an installation's OAuth client is gone
-- (uninstall probes). Shared by every instance, so "at most one probe per interval, one at a time"
-- holds however many instances receive the unauthenticated DELETEs.
CREATE TABLE install_probes (
  oauth_id text PRIMARY KEY REFERENCES installations (oauth_id) ON DELETE CASCADE,
  last_probe_at timestamptz NOT NULL,     -- when the latest probe started
  probing_until timestamptz               -- set while a probe is in flight (a lease, in case its instance dies)
);
