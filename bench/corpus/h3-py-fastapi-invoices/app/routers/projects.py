from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import Project

router = APIRouter()
log = structlog.get_logger()


class ArchiveRequest(BaseModel):
    project_ids: list[str] = Field(min_length=1, max_length=100)


@router.get("/{project_id}")
async def get_project(project_id: str, request: Request, session: Annotated[AsyncSession, Depends(get_session)]):
    tenant_id = request.state.principal.tenant_id
    project = await session.scalar(select(Project).where(Project.tenant_id == tenant_id, Project.id == project_id))
    if project is None:
        raise HTTPException(status_code=404, detail="project not found")
    return {"id": project.id, "name": project.name, "plan": request.state.tenant.plan}


@router.post("/archive")
async def archive_projects(
    body: ArchiveRequest, request: Request, session: Annotated[AsyncSession, Depends(get_session)]
):
    tenant_id = request.state.principal.tenant_id
    owned = set(
        await session.scalars(
            select(Project.id).where(Project.tenant_id == tenant_id, Project.id.in_(body.project_ids))
        )
    )
    missing = set(body.project_ids) - owned
    if missing:
        raise HTTPException(status_code=404, detail=f"{len(missing)} project(s) not found")
    async with session.begin():
        await session.execute(
            update(Project).where(Project.tenant_id == tenant_id, Project.id.in_(owned)).values(archived=True)
        )
    log.info("projects archived", request_id=request.state.request_id, tenant_id=tenant_id, count=len(owned))
    return {"archived": sorted(owned)}
