// Question: Which venues and livestream bases does each task name, in the order of the text?
// Parameters: none
// Example: livekg cypher @graph/cypher/07-task-venues-bases.cypher
MATCH (t:Task)-[m:MENTIONS]->(e)
WHERE e:Venue OR e:Base
WITH t, e, min(m.span[0]) AS first
ORDER BY t.document, t.number, first, e.id
WITH t, collect(CASE WHEN e:Venue THEN e.name END) AS venues,
     collect(CASE WHEN e:Base THEN e.name END) AS bases
RETURN t.document AS document, t.number AS task, t.title AS title, venues, bases
ORDER BY document, task
