// Question: Which tasks mention an entity (by name, alias or id), with the sentence that names it?
// Parameters: $entity (string) — the entity's name, an alias or its id, e.g. 携程 or enterprise-ctrip
// Example: livekg cypher @graph/cypher/13-entity-tasks.cypher --param entity=携程
MATCH (t:Task)-[m:MENTIONS]->(e)
WHERE e.id = $entity OR e.name = $entity OR $entity IN coalesce(e.aliases, [])
RETURN e.id AS id, e.name AS name, t.document AS document, t.number AS task,
       t.title AS title, m.surface AS surface, m.sentence AS sentence
ORDER BY id, document, task, m.span[0]
