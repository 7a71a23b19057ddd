-- Issue 13, points 4 and 6: the outbox knows which HipChat host each call goes to, so one slow host can
-- be kept to its share of the delivery slots and a room's backlog can be measured across the ways into
-- it; and a glance update can be superseded by a newer one for the same glance and room.

-- host[:port] of the API the call goes to, as new URL(apiUrl).host; written at enqueue. A scheduling hint
-- only: the credentials used are always resolved afresh when the call is made.
ALTER TABLE outbox ADD COLUMN api_host text;

-- 'superseded': a glance update replaced by a newer one for the same glance and room before it was sent.
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('pending', 'delivered', 'failed', 'superseded'));

-- A room's pending messages (backpressure on incoming hooks), whichever installation or token queued them.
CREATE INDEX outbox_pending_messages_idx ON outbox (api_host, room_id) WHERE state = 'pending' AND counts_as_message;

UPDATE outbox o SET api_host = lower(substring(i.api_url FROM '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]+)'))
FROM installations i
WHERE o.oauth_id = i.oauth_id AND o.state = 'pending';

-- Deliveries to a module's targets (their API URL is in the module's tables) get theirs from that
-- module's own migrations. Until modules had their own folders, this file ended with one such UPDATE;
-- databases that ran it keep what it did (migrate.ts keeps no checksum of an applied file, so the
-- shorter text changes nothing for them).
