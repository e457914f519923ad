from fastapi import APIRouter
from starlette.exceptions import HTTPException

from livekg.api.deps import BackendDep, SettingsDep
from livekg.api.models import CypherRequest, CypherResponse
from livekg.api.problems import Problem
from livekg.graph.analyst_cypher import run_read_only
from livekg.graph.neo4j_backend import Neo4jBackend

router = APIRouter(prefix="/v1", tags=["cypher"])


@router.post("/cypher", response_model=CypherResponse,
             summary="Run one read-only Cypher query (Neo4j backend only)",
             responses={403: {"model": Problem, "description": "not a read-only query"},
                        400: {"model": Problem, "description": "Cypher error"},
                        409: {"model": Problem, "description": "the server reads the embedded "
                              "graph, not Neo4j"}})
def cypher(request: CypherRequest, backend: BackendDep, settings: SettingsDep
           ) -> CypherResponse:
    if not isinstance(backend, Neo4jBackend):
        raise HTTPException(409, (
            "POST /v1/cypher needs the Neo4j backend, and this server reads the embedded "
            "graph: run `livekg neo4j start` and `livekg load --neo4j`, then "
            "`livekg serve --backend neo4j`"))
    result = run_read_only(backend.driver, backend.database, request.query, request.parameters,
                           timeout=settings.cypher_timeout, max_rows=settings.cypher_max_rows)
    return CypherResponse(columns=result.columns, rows=result.rows, truncated=result.truncated)
