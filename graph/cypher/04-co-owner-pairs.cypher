// Question: Which pairs of units own the most tasks together?
// Parameters: none
// Example: livekg cypher @graph/cypher/04-co-owner-pairs.cypher
MATCH (a:Unit)-[:RESPONSIBLE_FOR]->(t:Task)<-[:RESPONSIBLE_FOR]-(b:Unit)
WHERE a.id < b.id
WITH DISTINCT a, b, t
ORDER BY t.document, t.number
WITH a, b, collect(t) AS tasks
RETURN a.id AS unit_a, a.name AS name_a, b.id AS unit_b, b.name AS name_b,
       size(tasks) AS shared, [t IN tasks | t.number] AS task_numbers,
       [t IN tasks | t.id] AS task_ids
ORDER BY shared DESC, unit_a, unit_b
