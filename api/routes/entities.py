from fastapi import APIRouter, Path

from livekg.api import services
from livekg.api.deps import BackendDep
from livekg.api.models import EntityDetail, EntityOut, Page
from livekg.api.params import Limit, Offset

router = APIRouter(prefix="/v1/entities", tags=["entities"])
EntityType = Path(description="venue, base, association, enterprise, event, program, policy "
                              "or technology", examples=["venue"])


@router.get("/{entity_type}", response_model=Page[EntityOut], summary="Entities of one type")
def list_entities(backend: BackendDep, entity_type: str = EntityType, limit: Limit = 50,
                  offset: Offset = 0) -> Page[EntityOut]:
    return services.page(services.entities(backend, entity_type), limit, offset)


@router.get("/{entity_type}/{entity_id}", response_model=EntityDetail,
            summary="One entity and the tasks that mention it")
def get_entity(backend: BackendDep, entity_type: str = EntityType,
               entity_id: str = Path(description="id or any name", examples=["愚园路"])
               ) -> EntityDetail:
    return services.entity_detail(backend, entity_type, entity_id)
