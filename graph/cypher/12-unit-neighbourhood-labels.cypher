// Question: How many nodes of each label lie within two hops of a unit, and which?
// Parameters: $unit (string) — the unit's short name or id, e.g. 区外办 or changning-foreign-affairs-office
// Example: livekg cypher @graph/cypher/12-unit-neighbourhood-labels.cypher --param unit=区外办
MATCH (u:Unit)
WHERE u.id = $unit OR u.name = $unit
MATCH (u)-[*1..2]-(n)
WHERE n <> u
WITH DISTINCT u, n
WITH u, n,
     head([l IN ['Document', 'Section', 'Task', 'Target', 'Unit', 'Venue', 'Base', 'Association',
                 'Enterprise', 'Event', 'Program', 'Policy', 'Technology'] WHERE l IN labels(n)])
       AS label
ORDER BY n.id
WITH u, label, collect(n.name) AS names, collect(n.id) AS ids
RETURN u.id AS unit, label, size(ids) AS nodes, names, ids
ORDER BY unit, label
