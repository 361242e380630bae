from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.db import Project, session_scope

router = APIRouter()
logger = logging.getLogger(__name__)


class ProjectIn(BaseModel):
    name: str = Field(min_length=2, max_length=80)
    description: str | None = None


@router.get("")
async def list_projects(request: Request, limit: int = 50):
    tenant_id = request.state.principal.tenant_id
    async with session_scope() as session:
        rows = await session.scalars(
            select(Project).where(Project.tenant_id == tenant_id).order_by(Project.created_at.desc()).limit(min(limit, 200))
        )
        return [{"id": p.id, "name": p.name} for p in rows]


@router.post("", status_code=201)
async def create_project(request: Request, body: ProjectIn):
    principal = request.state.principal
    async with session_scope() as session:
        project = Project(tenant_id=principal.tenant_id, name=body.name, description=body.description, created_by=principal.user_id)
        session.add(project)
        await session.flush()
        logger.info("project created", extra={"tenant_id": principal.tenant_id, "project_id": project.id})
        return {"id": project.id}


@router.get("/{project_id}")
async def get_project(request: Request, project_id: str):
    async with session_scope() as session:
        project = await session.scalar(
            select(Project).where(Project.id == project_id, Project.tenant_id == request.state.principal.tenant_id)
        )
    if project is None:
        raise HTTPException(status_code=404)
    return {"id": project.id, "name": project.name, "description": project.description}
