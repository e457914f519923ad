// Question: Which nodes lie within two hops of a unit (over any relationship), and at what distance?
// Parameters: $unit (string) — the unit's short name or id, e.g. 区外办 or changning-foreign-affairs-office
// Example: livekg cypher @graph/cypher/11-unit-neighbourhood.cypher --param unit=区外办
MATCH (u:Unit)
WHERE u.id = $unit OR u.name = $unit
MATCH p = (u)-[*1..2]-(n)
WHERE n <> u
WITH u, n, min(length(p)) AS hops
WITH u, n, hops,
     [l IN ['Document', 'Section', 'Task', 'Target', 'Unit', 'Venue', 'Base', 'Association',
            'Enterprise', 'Event', 'Program', 'Policy', 'Technology'] WHERE l IN labels(n)]
       AS node_labels
RETURN u.id AS unit, hops, node_labels[0] AS label, node_labels AS labels, n.id AS id,
       n.name AS name, n.number AS number
ORDER BY unit, hops, label, id
