-- grain: one row per event id ever assigned or decided, with the event it resolves to after merges
CREATE OR REPLACE VIEW int_event_resolution AS
WITH RECURSIVE merges AS (
    SELECT event_id AS source, into_event_id AS target FROM (
        SELECT event_id, into_event_id,
               row_number() OVER (PARTITION BY event_id ORDER BY decided_at DESC, decision_id DESC) AS n
        FROM event_decisions WHERE kind = 'merge') WHERE n = 1
),
chain (source, target, depth) AS (
    SELECT source, target, 1 FROM merges
    UNION ALL
    SELECT c.source, m.target, c.depth + 1 FROM chain c JOIN merges m ON m.source = c.target
    WHERE c.depth < 50 AND m.target <> c.source
),
final AS (
    SELECT source, arg_max(target, depth) AS target FROM chain GROUP BY source
)
SELECT source AS event_id, target AS resolved_event_id FROM final
