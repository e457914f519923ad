from fastapi import APIRouter, Query

from livekg.api import services
from livekg.api.deps import BackendDep
from livekg.api.models import DocumentOut, Page, SectionOut
from livekg.api.params import Limit, Offset
from livekg.graph.errors import NodeNotFound

router = APIRouter(prefix="/v1", tags=["documents"])


@router.get("/documents", response_model=Page[DocumentOut], summary="Loaded documents")
def list_documents(backend: BackendDep, limit: Limit = 50, offset: Offset = 0
                   ) -> Page[DocumentOut]:
    return services.page(services.documents(backend), limit, offset)


@router.get("/documents/{document_id}", response_model=DocumentOut, summary="One document")
def get_document(document_id: str, backend: BackendDep) -> DocumentOut:
    for document in services.documents(backend):
        if document.id == document_id:
            return document
    raise NodeNotFound(document_id, "document", [d.id for d in services.documents(backend)])


@router.get("/sections", response_model=Page[SectionOut], summary="Sections in document order")
def list_sections(backend: BackendDep,
                  document: str | None = Query(None, description="a document id"),
                  limit: Limit = 50, offset: Offset = 0) -> Page[SectionOut]:
    return services.page(services.sections(backend, document), limit, offset)
