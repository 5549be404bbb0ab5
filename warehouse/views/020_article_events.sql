-- grain: one row per article that matching has placed; event_id after the user's merges and splits
CREATE OR REPLACE VIEW article_events AS
WITH moves AS (
    SELECT article_id, arg_max(into_event_id, decided_at) AS event_id
    FROM (SELECT unnest(article_ids) AS article_id, into_event_id, decided_at
          FROM event_decisions WHERE kind = 'split')
    GROUP BY article_id
),
placed AS (
    SELECT a.article_id, coalesce(m.event_id, x.event_id) AS placed_event_id, x.score, x.new_event
    FROM event_assignments x
    JOIN articles a USING (article_id)
    LEFT JOIN moves m USING (article_id)
),
final AS (
    SELECT a.article_id, a.url, a.outlet_id AS outlet, coalesce(r.resolved_event_id, p.placed_event_id) AS event_id,
           a.title, a.published_at, a.language, p.score AS match_score, p.new_event,
           coalesce(o.originator_outlet_id, a.outlet_id) AS originator, coalesce(o.method, 'own') AS origin_method,
           o.originator_article_id
    FROM placed p
    JOIN articles a USING (article_id)
    LEFT JOIN int_event_resolution r ON r.event_id = p.placed_event_id
    LEFT JOIN article_origins o USING (article_id)
)
SELECT * FROM final
