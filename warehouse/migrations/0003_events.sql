-- 0003: event matching. Assignments and decisions are append-only; events are a view over them.

-- one row per article: the event matching put it in, and why
CREATE TABLE event_assignments (
    article_id          VARCHAR PRIMARY KEY,
    event_id            VARCHAR NOT NULL,
    run_id              VARCHAR NOT NULL,
    assigned_at         TIMESTAMPTZ NOT NULL,
    new_event           BOOLEAN NOT NULL,       -- the article started this event
    score               DOUBLE,
    content_similarity  DOUBLE,                 -- TF-IDF cosine with the event's centroid
    evidence_similarity DOUBLE,                 -- weighted share of the article's names and numbers in the event
    shared_names        VARCHAR[],
    shared_numbers      VARCHAR[],
    shared_terms        VARCHAR[],
    gap_days            DOUBLE,                 -- days since the event was last seen
    runner_up_event     VARCHAR,
    runner_up_score     DOUBLE,
    candidates          INTEGER,                -- events compared (blocking)
    settings            VARCHAR                 -- matching settings in force
);

-- one row per article: who originated its story
CREATE TABLE article_origins (
    article_id            VARCHAR PRIMARY KEY,
    originator_outlet_id  VARCHAR NOT NULL,     -- the outlet itself, the copied outlet, or credit:<agency>
    originator_article_id VARCHAR,
    method                VARCHAR NOT NULL,     -- own | near_duplicate | credit
    credit                VARCHAR,
    containment           DOUBLE,
    run_id                VARCHAR NOT NULL
);

-- one row per user decision (parallax events merge / split); later nights respect them
CREATE TABLE event_decisions (
    decision_id     VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,           -- merge | split
    event_id        VARCHAR NOT NULL,           -- merge: the event merged away; split: the event split
    into_event_id   VARCHAR NOT NULL,           -- merge: the event kept; split: the new event
    article_ids     VARCHAR[],                  -- split: the articles moved to the new event
    decided_at      TIMESTAMPTZ NOT NULL,
    note            VARCHAR
);
