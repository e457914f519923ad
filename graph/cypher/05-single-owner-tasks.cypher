// Question: Which tasks have exactly one responsible unit, and which unit is it?
// Parameters: none
// Example: livekg cypher @graph/cypher/05-single-owner-tasks.cypher
MATCH (u:Unit)-[:RESPONSIBLE_FOR]->(t:Task)
WITH t, collect(DISTINCT u) AS owners
WHERE size(owners) = 1
WITH t, owners[0] AS owner
RETURN t.document AS document, t.number AS task, t.title AS title, owner.id AS owner_id,
       owner.name AS owner_name, owner.kind AS owner_kind
ORDER BY document, task
