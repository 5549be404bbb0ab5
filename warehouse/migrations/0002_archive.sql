-- 0002: archive loading (parallax backfill).

-- one row per archive line (or WARC record) that could not be loaded, with its reason
CREATE TABLE archive_rejects (
    run_id        VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,             -- the archive file
    line          INTEGER NOT NULL,             -- line number (JSON Lines) or record number (WARC)
    reason        VARCHAR NOT NULL,
    PRIMARY KEY (run_id, source, line)
);
