// Question: Which entities (venues, bases, associations, enterprises, events, programs, policies, technologies, units) are named in the tasks a unit owns, by type, with counts?
// Parameters: $unit (string) — the unit's short name or id, e.g. 区体育局 or changning-sports-bureau
// Example: livekg cypher @graph/cypher/08-unit-mentioned-entities.cypher --param unit=区体育局
MATCH (u:Unit)-[:RESPONSIBLE_FOR]->(t:Task)-[m:MENTIONS]->(e)
WHERE u.id = $unit OR u.name = $unit
WITH u, e, t, count(m) AS times
ORDER BY t.document, t.number
WITH u, e, collect(t.number) AS task_numbers, count(t) AS tasks, sum(times) AS mentions
RETURN u.id AS unit,
       head([l IN ['Venue', 'Base', 'Association', 'Enterprise', 'Event', 'Program', 'Policy',
                   'Technology', 'Unit'] WHERE l IN labels(e)]) AS type,
       e.id AS id, e.name AS name, tasks, mentions, task_numbers
ORDER BY unit, type, tasks DESC, mentions DESC, id
