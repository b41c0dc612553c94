"""The SQL of the PostgreSQL frontier (``postgres.py``): schema, claim function, statements."""

from __future__ import annotations

FRONTIER_VERSION = 3
COUNT_SHARDS = 16

SCHEMA = (
    "CREATE SEQUENCE IF NOT EXISTS frontier_seq",
    """CREATE TABLE IF NOT EXISTS frontier_urls (
        url_key       text PRIMARY KEY,
        url           text NOT NULL,
        host          text NOT NULL,
        kind          text NOT NULL,
        depth         integer NOT NULL,
        priority      integer NOT NULL,
        deferred      boolean NOT NULL DEFAULT false,
        seq           bigint NOT NULL DEFAULT nextval('frontier_seq'),
        state         text NOT NULL DEFAULT 'queued',
        outcome       text,
        interrupted   integer NOT NULL DEFAULT 0,
        lease_token   text,
        lease_expires timestamptz,
        worker_id     text)""",
    # version 2: when a URL was finished (database clock), for ``broadsheet status``'s throughput
    "ALTER TABLE frontier_urls ADD COLUMN IF NOT EXISTS finished_at timestamptz",
    "CREATE INDEX IF NOT EXISTS frontier_next ON frontier_urls (host, priority, depth, seq)"
    " WHERE state = 'queued'",
    "CREATE INDEX IF NOT EXISTS frontier_leases ON frontier_urls (lease_expires)"
    " WHERE state = 'active'",
    """CREATE TABLE IF NOT EXISTS crawl_state (
        id            integer PRIMARY KEY CHECK (id = 1),
        started_at    text,
        ended_at      text,
        max_pages     integer NOT NULL DEFAULT 0,
        pages_claimed integer NOT NULL DEFAULT 0)""",
    "INSERT INTO crawl_state (id) VALUES (1) ON CONFLICT DO NOTHING",
    # version 3: the crawl's start URLs, so a worker that joins without any has the same scope
    "ALTER TABLE crawl_state ADD COLUMN IF NOT EXISTS seeds text[] NOT NULL DEFAULT '{}'",
    # Counters striped over shards (one per worker, by its id) so that workers rarely update
    # the same row; ``counts`` sums them instead of counting a million rows.
    """CREATE TABLE IF NOT EXISTS frontier_counts (
        shard  integer PRIMARY KEY,
        queued bigint NOT NULL DEFAULT 0,
        active bigint NOT NULL DEFAULT 0,
        done   bigint NOT NULL DEFAULT 0)""",
    f"INSERT INTO frontier_counts (shard) SELECT generate_series(0, {COUNT_SHARDS - 1})"
    " ON CONFLICT DO NOTHING",
    """CREATE OR REPLACE FUNCTION broadsheet_claim(p_worker text, p_lease double precision,
            p_delay double precision, p_per_host integer, p_shard integer)
        RETURNS TABLE (url_key text, url text, kind text, depth integer, priority integer,
                       deferred boolean, interrupted integer, lease_token text,
                       lease_expires timestamptz, wait double precision)
        LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
        now_ timestamptz := clock_timestamp();
        v_host text;
        v_key text;
        v_budget boolean := false;
    BEGIN
        IF EXISTS (SELECT 1 FROM crawl_state s WHERE s.id = 1 AND s.max_pages > 0) THEN
            UPDATE crawl_state s SET pages_claimed = s.pages_claimed + 1
                WHERE s.id = 1 AND s.pages_claimed < s.max_pages;
            IF NOT FOUND THEN
                RETURN;  -- the budget is spent: no row at all
            END IF;
            v_budget := true;
        END IF;
        LOOP  -- the next ready host; one found empty is marked idle until URLs are added
            v_host := NULL;
            SELECT h.host INTO v_host FROM crawl_hosts h
                WHERE NOT h.idle AND h.next_allowed <= now_ AND h.paused_until <= now_
                  AND h.active < p_per_host
                ORDER BY h.next_allowed LIMIT 1 FOR UPDATE OF h SKIP LOCKED;
            EXIT WHEN v_host IS NULL;
            SELECT u.url_key INTO v_key FROM frontier_urls u
                WHERE u.host = v_host AND u.state = 'queued'
                ORDER BY u.priority, u.depth, u.seq LIMIT 1 FOR UPDATE SKIP LOCKED;
            EXIT WHEN v_key IS NOT NULL;
            UPDATE crawl_hosts h SET idle = true WHERE h.host = v_host
                AND NOT EXISTS (SELECT 1 FROM frontier_urls u
                                WHERE u.host = v_host AND u.state = 'queued');
        END LOOP;
        IF v_key IS NULL THEN
            IF v_budget THEN
                UPDATE crawl_state s SET pages_claimed = s.pages_claimed - 1 WHERE s.id = 1;
            END IF;
            RETURN QUERY SELECT NULL::text, NULL::text, NULL::text, NULL::integer,
                NULL::integer, NULL::boolean, NULL::integer, NULL::text, NULL::timestamptz,
                (SELECT CASE WHEN m.t IS NULL THEN NULL  -- nothing queued
                             ELSE greatest(0.01, extract(epoch FROM m.t - now_))::float8 END
                   FROM (SELECT min(greatest(h.next_allowed, h.paused_until, now_)) AS t
                         FROM crawl_hosts h WHERE NOT h.idle) m);
            RETURN;
        END IF;
        UPDATE frontier_counts c SET queued = c.queued - 1, active = c.active + 1
            WHERE c.shard = p_shard;
        UPDATE crawl_hosts h SET active = h.active + 1, next_allowed = now_ +
                make_interval(secs => greatest(p_delay, h.crawl_delay))
            WHERE h.host = v_host;
        RETURN QUERY UPDATE frontier_urls u SET state = 'active',
                lease_token = gen_random_uuid()::text,
                lease_expires = now_ + make_interval(secs => p_lease), worker_id = p_worker
            WHERE u.url_key = v_key
            RETURNING u.url_key, u.url, u.kind, u.depth, u.priority, u.deferred, u.interrupted,
                      u.lease_token, u.lease_expires, NULL::float8;
    END $$""",
)

ADD_SQL = (
    "INSERT INTO frontier_urls (url_key, url, host, kind, depth, priority, deferred)"
    " SELECT k, u, h, kd, d, p, df FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[],"
    " %s::integer[], %s::integer[], %s::boolean[]) WITH ORDINALITY AS t(k, u, h, kd, d, p, df, n)"
    " ORDER BY n ON CONFLICT DO NOTHING")

LOCK_HOSTS_SQL = ("SELECT host FROM crawl_hosts WHERE host = ANY(%s) ORDER BY host"
                  " FOR SHARE")
"""Taken by ``add`` before it inserts: a claim cannot mark these hosts idle meanwhile (it
would not see the URLs being added), and adds do not block one another."""

WAKE_HOSTS_SQL = "UPDATE crawl_hosts SET idle = false WHERE host = ANY(%s) AND idle"

CLAIM_SQL = "SELECT * FROM broadsheet_claim(%s, %s, %s, %s, %s)"

ADDED_SQL = "UPDATE frontier_counts SET queued = queued + %s WHERE shard = %s"

_FENCE = "WHERE url_key = %s AND state = 'active' AND lease_token = %s"

RENEW_SQL = ("UPDATE frontier_urls SET lease_expires = clock_timestamp() +"
             f" make_interval(secs => %s) {_FENCE} RETURNING lease_expires")

_AFTER_HOSTS = "(SELECT count(*) FROM h) >= 0"
"""A condition on the counter row that reads the hosts update first: the sub-statements of a
WITH run in no set order, so without it one statement could lock its counter row before its
host row and another the other way round (a deadlock between two workers, or between a
worker's frontier connection and its fenced archive write)."""

_FREE_HOST = ("UPDATE crawl_hosts SET active = greatest(active - 1, 0)"
              " WHERE host IN (SELECT host FROM f)")
_REQUEUED_HOST = ("UPDATE crawl_hosts SET active = greatest(active - 1, 0), idle = false"
                  " WHERE host IN (SELECT host FROM f)")

FINISH_SQL = (
    "WITH f AS (UPDATE frontier_urls SET state = 'done', outcome = %s, lease_token = NULL,"
    f" lease_expires = NULL, finished_at = clock_timestamp() {_FENCE} RETURNING host),"
    f" h AS ({_FREE_HOST} RETURNING 1),"
    " b AS (UPDATE crawl_state SET pages_claimed = greatest(pages_claimed - 1, 0)"
    " WHERE id = 1 AND %s AND EXISTS (SELECT 1 FROM f) RETURNING 1),"
    " c AS (UPDATE frontier_counts SET active = active - 1, done = done + 1"
    f" WHERE shard = %s AND EXISTS (SELECT 1 FROM f) AND {_AFTER_HOSTS} RETURNING 1)"
    " SELECT count(*) FROM f")

DEFER_SQL = (
    "WITH f AS (UPDATE frontier_urls SET state = 'queued', deferred = true, priority = %s,"
    " seq = nextval('frontier_seq'), lease_token = NULL, lease_expires = NULL"
    f" {_FENCE} RETURNING host),"
    f" h AS ({_REQUEUED_HOST} RETURNING 1),"
    " c AS (UPDATE frontier_counts SET active = active - 1, queued = queued + 1"
    f" WHERE shard = %s AND EXISTS (SELECT 1 FROM f) AND {_AFTER_HOSTS} RETURNING 1)"
    " SELECT count(*) FROM f")

REAP_SQL = (
    # Rows locked right now are skipped: a worker is storing that page under a fence (it
    # holds the row and will finish it), and waiting for it could deadlock with its finish.
    "WITH e AS (SELECT url_key FROM frontier_urls WHERE state = 'active'"
    " AND lease_expires < clock_timestamp() FOR UPDATE SKIP LOCKED),"
    " f AS (UPDATE frontier_urls u SET state = 'queued', interrupted = interrupted + 1,"
    " lease_token = NULL, lease_expires = NULL FROM e WHERE u.url_key = e.url_key"
    " RETURNING u.host),"
    " n AS (SELECT host, count(*) AS c FROM f GROUP BY host),"
    " h AS (UPDATE crawl_hosts SET active = greatest(active - n.c, 0), idle = false FROM n"
    " WHERE crawl_hosts.host = n.host RETURNING 1),"
    " c AS (UPDATE frontier_counts SET active = active - (SELECT count(*) FROM f),"
    f" queued = queued + (SELECT count(*) FROM f) WHERE shard = %s AND {_AFTER_HOSTS}"
    " RETURNING 1)"
    " SELECT count(*) FROM f")
