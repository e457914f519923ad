// Question: Which tasks does each section hold, how many units own each task, and how many distinct units own the section's tasks?
// Parameters: none
// Example: livekg cypher @graph/cypher/10-section-tasks.cypher
MATCH (t:Task)-[:IN_SECTION]->(s:Section)
OPTIONAL MATCH (u:Unit)-[:RESPONSIBLE_FOR]->(t)
WITH s, t, collect(DISTINCT u) AS owners
ORDER BY t.number
WITH s, collect(t.number) AS tasks, collect(size(owners)) AS owner_counts,
     reduce(acc = [], o IN collect(owners) | acc + [x IN o WHERE NOT x IN acc]) AS units
OPTIONAL MATCH (s)-[:PART_OF]->(parent:Section)
RETURN s.document AS document, parent.marker AS parent, s.marker AS marker, s.title AS title,
       size(tasks) AS task_count, tasks, owner_counts, size(units) AS distinct_owners
ORDER BY document, tasks[0], s.id
