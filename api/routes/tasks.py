from fastapi import APIRouter, Path, Query

from livekg.api import services
from livekg.api.deps import BackendDep
from livekg.api.models import Page, TaskDetail, TaskOwner, TaskSummary
from livekg.api.params import Limit, Offset
from livekg.graph.results import LEAD_RULE

router = APIRouter(prefix="/v1/tasks", tags=["tasks"])
TaskId = Path(description="task id, or its number when one document is loaded",
              examples=["changning-livestream-action-plan-2024-2026:task:6", "6"])


@router.get("", response_model=Page[TaskSummary],
            summary="Tasks, filtered, each with the unit(s) leading it")
def list_tasks(backend: BackendDep,
               section: str | None = Query(None, description="section id or title"),
               unit: str | None = Query(None, description="unit id or any of its names"),
               q: str | None = Query(None, max_length=200, description="text the task contains"),
               document: str | None = Query(None, description="a document id"),
               lead: str | None = Query(None, description="the unit leading the task (id or "
                                                          f"any name). {LEAD_RULE}"),
               mentions: str | None = Query(
                   None, description="what the task mentions: a label (Venue, base, …: any "
                                     "node with it) or a node's id or name"),
               limit: Limit = 50, offset: Offset = 0) -> Page[TaskSummary]:
    found = services.tasks(backend, section=section, unit=unit, text=q, document=document,
                           lead=lead, mentions=mentions)
    return services.page(found, limit, offset)


@router.get("/{task_id}", response_model=TaskDetail,
            summary="One task: ordered owners, section, text, mentions with their sentences")
def get_task(backend: BackendDep, task_id: str = TaskId) -> TaskDetail:
    return services.task_detail(backend, task_id)


@router.get("/{task_id}/owners", response_model=Page[TaskOwner],
            summary="Who owns a task, in the document's order")
def task_owners(backend: BackendDep, task_id: str = TaskId, limit: Limit = 50,
                offset: Offset = 0) -> Page[TaskOwner]:
    return services.page(backend.task_owners(task_id), limit, offset)
