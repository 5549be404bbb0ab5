-- 0001: the ingestion core. Grain of each table in its comment.

-- one row per run of the nightly job (or a backfill)
CREATE TABLE runs (
    run_id        VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL,             -- nightly | backfill
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,             -- running | completed | completed_with_failures | failed | crashed
    config_path   VARCHAR,
    config_hash   VARCHAR,
    pid           INTEGER,
    host          VARCHAR,
    summary       JSON,
    error         VARCHAR
);

-- one row per stage of a run
CREATE TABLE run_stages (
    run_id        VARCHAR NOT NULL,
    stage         VARCHAR NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    seconds       DOUBLE,
    items_in      INTEGER,
    items_ok      INTEGER,
    items_failed  INTEGER,
    note          VARCHAR,
    PRIMARY KEY (run_id, stage)
);

-- one row per outlet of the config (kept when an outlet leaves the config: active = false)
CREATE TABLE outlets (
    outlet_id     VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    homepage      VARCHAR NOT NULL,
    language      VARCHAR NOT NULL,
    country       VARCHAR NOT NULL,
    ownership     VARCHAR NOT NULL,
    tags          JSON,                         -- free tags: tags->>'leaning'
    active        BOOLEAN NOT NULL,
    first_run_id  VARCHAR,
    updated_run_id VARCHAR
);

-- one row per feed URL of the config (state and health are derived from fetch_attempts)
CREATE TABLE feeds (
    feed_id       VARCHAR PRIMARY KEY,
    outlet_id     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    active        BOOLEAN NOT NULL,
    first_run_id  VARCHAR
);

-- one row per HTTP fetch attempt (feed, robots.txt or page), success or not
CREATE TABLE fetch_attempts (
    attempt_id    VARCHAR PRIMARY KEY,
    run_id        VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,             -- feed | page | robots
    target_id     VARCHAR,                      -- feed_id for feeds, entry_id for pages
    outlet_id     VARCHAR,
    url           VARCHAR NOT NULL,
    final_url     VARCHAR,
    started_at    TIMESTAMPTZ NOT NULL,
    elapsed_s     DOUBLE,
    outcome       VARCHAR NOT NULL,             -- ok | not_modified | transient | permanent
    http_status   INTEGER,
    reason        VARCHAR NOT NULL,
    bytes         BIGINT,
    tries         INTEGER,
    redirects     VARCHAR[],
    etag          VARCHAR,                      -- validators after this attempt (feeds)
    last_modified VARCHAR,
    body_hash     VARCHAR,
    parse_problem VARCHAR,                      -- feeds: what was wrong with the body
    entries       INTEGER                       -- feeds: entries parsed
);

-- one row per (feed, entry key): what a feed listed, when first seen
CREATE TABLE feed_entries (
    entry_id      VARCHAR PRIMARY KEY,
    feed_id       VARCHAR NOT NULL,
    outlet_id     VARCHAR NOT NULL,
    entry_key     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,             -- canonical form of the entry link
    title         VARCHAR,
    summary       VARCHAR,
    content       VARCHAR,
    authors       VARCHAR[],
    published_at  TIMESTAMPTZ,
    first_run_id  VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL
);

-- one row per fetched page URL; raw HTML kept gzip-compressed for re-extraction
CREATE TABLE pages (
    url           VARCHAR PRIMARY KEY,
    final_url     VARCHAR NOT NULL,
    outlet_id     VARCHAR NOT NULL,
    entry_id      VARCHAR NOT NULL,
    http_status   INTEGER,
    fetched_at    TIMESTAMPTZ NOT NULL,
    content_hash  VARCHAR NOT NULL,
    bytes         BIGINT NOT NULL,
    html_gz       BLOB NOT NULL,
    run_id        VARCHAR NOT NULL
);

-- one row per extraction attempt of a page
CREATE TABLE extractions (
    page_url      VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL,
    outcome       VARCHAR NOT NULL,             -- ok | duplicate | failed
    reason        VARCHAR,
    article_id    VARCHAR,
    extractor     VARCHAR,
    extracted_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (page_url, run_id)
);

-- one row per article (canonical URL); the unit everything later compares
CREATE TABLE articles (
    article_id    VARCHAR PRIMARY KEY,
    url           VARCHAR NOT NULL,             -- canonical URL; article_id is derived from it
    outlet_id     VARCHAR NOT NULL,
    page_url      VARCHAR NOT NULL,
    entry_id      VARCHAR,
    title         VARCHAR,
    text          VARCHAR NOT NULL,
    authors       VARCHAR[],
    language      VARCHAR,
    published_at  TIMESTAMPTZ,
    date_source   VARCHAR,
    is_partial    BOOLEAN NOT NULL,             -- page text unusable; feed content used or too short
    partial_reason VARCHAR,
    text_hash     VARCHAR NOT NULL,
    word_count    INTEGER,
    extractor     VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL,
    extracted_at  TIMESTAMPTZ NOT NULL
);

