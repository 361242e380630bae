// Source files the end-to-end tests open PRs with.

/** An Express-style admin check that reads JWT claims without verifying them (a failure-level security finding on line 4). */
export const UNVERIFIED_JWT_HANDLER = `import jwt from "jsonwebtoken";

export function requireAdmin(req: any, res: any, next: any) {
  const claims = jwt.decode(req.headers.authorization ?? "") as { role?: string } | null;
  if (!claims || claims.role !== "admin") return res.status(403).end();
  next();
}
`;
