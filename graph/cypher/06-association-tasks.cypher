// Question: Which associations take part in which tasks, as responsible units, as mentions in the task text, or both?
// Parameters: none
// Example: livekg cypher @graph/cypher/06-association-tasks.cypher
MATCH (a:Association)-[r:RESPONSIBLE_FOR|MENTIONS]-(t:Task)
WITH a, t, r
ORDER BY r.span[0]
WITH a, t, collect(r) AS rels
WITH a, t, [x IN rels WHERE type(x) = 'RESPONSIBLE_FOR' | x.rank] AS ranks,
     [x IN rels WHERE type(x) = 'MENTIONS' | x.surface] AS surfaces
RETURN a.id AS id, a.name AS name, t.document AS document, t.number AS task,
       CASE
         WHEN size(ranks) > 0 AND size(surfaces) > 0 THEN 'owner and mentioned'
         WHEN size(ranks) > 0 THEN 'owner'
         ELSE 'mentioned'
       END AS part,
       size(ranks) > 0 AS owner, size(surfaces) > 0 AS mentioned, ranks[0] AS rank, surfaces
ORDER BY id, document, task
