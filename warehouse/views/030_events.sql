-- grain: one row per event (after merges and splits)
CREATE OR REPLACE VIEW events AS
WITH members AS (
    SELECT * FROM article_events
),
final AS (
    SELECT event_id,
           arg_min(title, coalesce(published_at, TIMESTAMPTZ '9999-12-31')) AS label,
           min(published_at) AS first_seen,
           max(published_at) AS last_seen,
           count(*) AS articles,
           count(DISTINCT outlet) AS outlets,
           count(DISTINCT originator) AS originators,
           list(DISTINCT outlet ORDER BY outlet) AS outlet_ids
    FROM members GROUP BY event_id
)
SELECT * FROM final
