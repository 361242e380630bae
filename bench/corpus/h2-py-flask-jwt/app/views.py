import logging

from flask import Blueprint, abort, g, jsonify, request

from app.auth import require_role, tenant_from_service_token
from app.models import Project, db

bp = Blueprint("projects", __name__)
log = logging.getLogger(__name__)


@bp.get("/projects")
def list_projects():
    if g.principal is None:
        abort(401)
    rows = Project.query.filter_by(tenant_id=g.principal["tenant_id"]).order_by(Project.created_at.desc()).limit(100).all()
    return jsonify([p.to_dict() for p in rows])


@bp.post("/projects")
def create_project():
    if g.principal is None:
        abort(401)
    body = request.get_json(force=True)
    project = Project(tenant_id=body.get("tenant_id") or g.principal["tenant_id"], name=body["name"])  # expect: tenant-from-untrusted-source
    db.session.add(project)
    db.session.commit()
    log.info("project created", extra={"request_id": g.request_id, "project_id": project.id})
    return jsonify(project.to_dict()), 201


@bp.delete("/projects/<int:project_id>")
@require_role("owner")
def delete_project(project_id):
    project = Project.query.filter_by(id=project_id, tenant_id=g.principal["tenant_id"]).first_or_404()
    db.session.delete(project)
    db.session.commit()
    return "", 204


@bp.post("/internal/sync")
def internal_sync():
    tenant_id = tenant_from_service_token()
    count = Project.query.filter_by(tenant_id=tenant_id).count()
    return jsonify(tenant=tenant_id, projects=count)
