// Question: How are two units connected through the tasks they own (every shortest unit–task–unit chain)?
// Parameters: $from_unit (string) — one unit's short name or id, e.g. 区体育局
// Parameters: $to_unit (string) — the other unit's short name or id, e.g. 区外办
// Example: livekg cypher @graph/cypher/09-unit-shortest-path.cypher --param from_unit=区体育局 --param to_unit=区外办
MATCH (a:Unit)
WHERE a.id = $from_unit OR a.name = $from_unit
MATCH (b:Unit)
WHERE (b.id = $to_unit OR b.name = $to_unit) AND b <> a
MATCH p = allShortestPaths((a)-[:RESPONSIBLE_FOR*]-(b))
WITH p, [n IN nodes(p) | n.id] AS ids
RETURN length(p) AS length,
       [n IN nodes(p) | CASE WHEN n:Task THEN 'task ' + toString(n.number) ELSE n.name END]
         AS steps,
       ids
ORDER BY length, ids
