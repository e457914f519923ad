from fastapi import APIRouter

from livekg.api.deps import BackendDep
from livekg.api.models import Health
from livekg.api.problems import PROBLEM_RESPONSES

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="The process is up")
def health(backend: BackendDep) -> Health:
    return Health(status="ok", backend=backend.name)


@router.get("/ready", response_model=Health, summary="The backend answers",
            responses={503: PROBLEM_RESPONSES[503]})
def ready(backend: BackendDep) -> Health:
    backend.ping()
    return Health(status="ready", backend=backend.name)
