-- The jti of every state-changing request HipChat signed, so that a captured or retried request takes
-- effect once, whichever instance it reaches. Written in the transaction of the effect; kept until the
-- token has expired (exp plus the clock skew), then purged in the background. A slash command's reply
-- is kept with it: a repeated webhook is answered the same again.
CREATE TABLE used_jtis (
  oauth_id text NOT NULL REFERENCES installations (oauth_id) ON DELETE CASCADE,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  reply jsonb,
  PRIMARY KEY (oauth_id, jti)
);

CREATE INDEX used_jtis_expires_idx ON used_jtis (expires_at);
