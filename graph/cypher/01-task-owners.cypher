// Question: Which units own a task, in the order the document lists them (the lead unit first)?
// Parameters: $task (integer) — the task's number in its document, e.g. 6
// Parameters: $document (string or null) — a document id, or null for every document, e.g. changning-livestream-action-plan-2024-2026
// Example: livekg cypher @graph/cypher/01-task-owners.cypher --param task=6 --param document=null
MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->(t:Task {number: $task})
WHERE $document IS NULL OR t.document = $document
RETURN t.document AS document, t.number AS task, r.rank AS rank, u.id AS id, u.name AS name,
       u.kind AS kind, r.role AS role, r.surface AS surface
ORDER BY document, rank, id
