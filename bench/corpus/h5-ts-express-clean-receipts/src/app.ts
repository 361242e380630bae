import express from "express";
import session from "express-session";
import passport from "passport";
import { requestId } from "./middleware/requestId";
import { ensureLoggedIn } from "./middleware/ensureLoggedIn";
import { auditTrail } from "./middleware/audit";
import { paymentsRouter } from "./routes/payments";
import { sessionStore } from "./sessionStore";

export function createApp() {
  const app = express();
  app.use(requestId);
  app.get("/healthz", (_req, res) => res.json({ ok: true }));
  app.use(express.json({ limit: "256kb" }));
  app.use(
    session({
      store: sessionStore,
      secret: process.env.SESSION_SECRET!,
      resave: false,
      saveUninitialized: false,
      cookie: { secure: true, httpOnly: true, sameSite: "lax" },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(auditTrail);
  app.use("/api/payments", ensureLoggedIn, paymentsRouter);
  return app;
}
