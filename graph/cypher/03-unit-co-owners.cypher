// Question: Which units share tasks with a given unit, most shared tasks first, and which tasks?
// Parameters: $unit (string) — the unit's short name or id, e.g. 区商务委 or changning-commerce-commission
// Example: livekg cypher @graph/cypher/03-unit-co-owners.cypher --param unit=区商务委
MATCH (u:Unit)-[:RESPONSIBLE_FOR]->(t:Task)<-[:RESPONSIBLE_FOR]-(o:Unit)
WHERE (u.id = $unit OR u.name = $unit) AND o <> u
WITH DISTINCT u, o, t
ORDER BY t.document, t.number
WITH u, o, collect(t) AS tasks
RETURN u.id AS unit, o.id AS id, o.name AS name, size(tasks) AS shared,
       [t IN tasks | t.number] AS task_numbers, [t IN tasks | t.id] AS task_ids
ORDER BY unit, shared DESC, id
