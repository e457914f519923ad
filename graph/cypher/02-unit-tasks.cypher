// Question: Which tasks is a unit responsible for, directly or through a group that includes it (各街镇 → its subdistricts)?
// Parameters: $unit (string) — the unit's short name or id, e.g. 区商务委 or changning-commerce-commission
// Example: livekg cypher @graph/cypher/02-unit-tasks.cypher --param unit=区商务委
MATCH (u:Unit)
WHERE u.id = $unit OR u.name = $unit
MATCH (u)<-[:INCLUDES*0..1]-(owner:Unit)-[r:RESPONSIBLE_FOR]->(t:Task)
RETURN u.id AS unit, t.document AS document, t.number AS task, t.title AS title,
       r.rank AS rank, CASE WHEN owner = u THEN null ELSE owner.name END AS via
ORDER BY unit, document, task, rank, via
