import { Router } from "express";
import { resolveTenant } from "../tenancy/resolve";
import { directory } from "../tenancy/directory";
import { users } from "../db";

export const usersRouter = Router();

usersRouter.get("/", async (req, res, next) => {
  try {
    const tenant = await resolveTenant(req, directory);
    res.json(await users.list(tenant.id, { includeInvited: tenant.plan !== "free" }));
  } catch (err) {
    next(err);
  }
});
