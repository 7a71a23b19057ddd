-- The HipChat host of each pending delivery through a connection (outbox.api_host, added by the core's
-- 007): the core cannot work it out, the API URL is in gateway_connections. Before the gateway had its
-- own migrations, the core's 007 ended with this UPDATE. It is not adopted from 007 but runs once on
-- every database, because one that had 004_gateway but not yet 007 runs the new, shorter 007 in the same
-- start as this; where the old 007 ran, every such row has its host already and nothing is changed.
UPDATE outbox o SET api_host = lower(substring(c.api_url FROM '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]+)'))
FROM gateway_connections c
WHERE o.connection_id = c.id AND o.state = 'pending' AND o.api_host IS NULL;
