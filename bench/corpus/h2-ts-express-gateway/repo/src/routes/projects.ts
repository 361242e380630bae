import { Router } from "express";
import { projectRepo } from "../lib/project-repo";

export const projectsRouter = Router();

projectsRouter.get("/", async (req, res, next) => {
  try {
    res.json(await projectRepo.list(req.tenant.id));
  } catch (err) {
    next(err);
  }
});

projectsRouter.post("/", async (req, res, next) => {
  try {
    const project = await projectRepo.create(req.tenant.id, { name: req.body.name, ownerId: req.auth.sub });
    res.status(201).json(project);
  } catch (err) {
    next(err);
  }
});
