from typing import Literal

from fastapi import APIRouter, Path, Query

from livekg.api import services
from livekg.api.deps import BackendDep
from livekg.api.models import (
    CoOwner,
    Page,
    TaskRef,
    UnitDetail,
    UnitOut,
    UnitTask,
    UnitWorkload,
    UnitWorkloadDetail,
)
from livekg.api.params import Limit, Offset
from livekg.graph.backend import WorkloadSort
from livekg.graph.results import LEAD_RULE

router = APIRouter(prefix="/v1", tags=["units"])
UnitId = Path(description="unit id, short name, full name, alias or English name",
              examples=["区商务委", "changning-commerce-commission"])


@router.get("/units", response_model=Page[UnitOut],
            summary="Responsible units, with the tasks each owns and leads")
def list_units(backend: BackendDep,
               kind: str | None = Query(None, description="e.g. district_government_department"),
               sort: Literal["lead_count", "task_count"] | None = Query(
                   None, description="most tasks led (or owned) first, ties by name; default: "
                                     f"by id. {LEAD_RULE}"),
               limit: Limit = 50, offset: Offset = 0) -> Page[UnitOut]:
    return services.page(services.units(backend, kind, sort), limit, offset)


@router.get("/units/{unit_id}", response_model=UnitDetail, summary="One unit")
def get_unit(backend: BackendDep, unit_id: str = UnitId) -> UnitDetail:
    return services.unit_detail(backend, unit_id)


@router.get("/units/{unit_id}/tasks", response_model=Page[UnitTask],
            summary="What a unit is responsible for, its rank and role in each, and whether "
                    "it leads", description=LEAD_RULE)
def unit_tasks(backend: BackendDep, unit_id: str = UnitId, limit: Limit = 50,
               offset: Offset = 0) -> Page[UnitTask]:
    return services.page(backend.unit_tasks(unit_id), limit, offset)


@router.get("/units/{unit_id}/workload", response_model=UnitWorkloadDetail,
            summary="One unit's workload: tasks led, co-owned, and its partners",
            description=LEAD_RULE)
def unit_workload(backend: BackendDep, unit_id: str = UnitId) -> UnitWorkloadDetail:
    return services.unit_workload(backend, unit_id)


@router.get("/workload", response_model=Page[UnitWorkload],
            summary="Per unit: tasks led, tasks co-owned (owned, not led), distinct partners",
            description=LEAD_RULE)
def workload(backend: BackendDep,
             sort: WorkloadSort = Query("tasks_led", description="id or name ascending, or a "
                                        "count, largest first, ties by name"),
             limit: Limit = 50, offset: Offset = 0) -> Page[UnitWorkload]:
    return services.page(backend.workload(sort), limit, offset)


@router.get("/units/{unit_id}/co-owners", response_model=Page[CoOwner],
            summary="Units sharing tasks with this one, most shared first")
def unit_co_owners(backend: BackendDep, unit_id: str = UnitId, limit: Limit = 50,
                   offset: Offset = 0) -> Page[CoOwner]:
    return services.page(backend.unit_co_owners(unit_id), limit, offset)


@router.get("/co-owned-tasks", response_model=Page[TaskRef],
            summary="Tasks every one of the given units owns")
def co_owned_tasks(backend: BackendDep,
                   unit: list[str] = Query(..., min_length=1, max_length=50,
                                           description="repeat: ?unit=A&unit=B"),
                   limit: Limit = 50, offset: Offset = 0) -> Page[TaskRef]:
    return services.page(backend.tasks_co_owned_by(unit), limit, offset)
