from fastapi import APIRouter

from livekg.api.deps import CypherDep, SettingsDep
from livekg.api.models import CypherRequest, CypherResponse
from livekg.api.problems import Problem

router = APIRouter(prefix="/v1", tags=["cypher"])


@router.post("/cypher", response_model=CypherResponse,
             summary="Run one read-only Cypher query (Neo4j backend only)",
             responses={403: {"model": Problem, "description": "not a read-only query"},
                        400: {"model": Problem, "description": "Cypher error"},
                        409: {"model": Problem, "description": "the server reads the embedded "
                              "graph, not Neo4j"}})
def cypher(request: CypherRequest, analyst_cypher: CypherDep, settings: SettingsDep
           ) -> CypherResponse:
    result = analyst_cypher.run(request.query, request.parameters,
                                timeout=settings.cypher_timeout,
                                max_rows=settings.cypher_max_rows)
    return CypherResponse(columns=result.columns, rows=result.rows, truncated=result.truncated)
