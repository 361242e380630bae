import express from "express";
import session from "express-session";
import passport from "passport";
import { requestId } from "./middleware/requestId";
import { ensureLoggedIn } from "./middleware/ensureLoggedIn";
import { auditTrail } from "./middleware/audit";
import { invoicesRouter } from "./routes/invoices";
import { sessionStore } from "./sessionStore";

export function createApp() {
  const app = express();
  app.use(requestId);
  app.use(express.json({ limit: "512kb" }));
  app.use(
    session({
      store: sessionStore,
      secret: process.env.SESSION_SECRET!,
      resave: false,
      saveUninitialized: false,
      cookie: { secure: true, httpOnly: true, sameSite: "lax" },
    }),
  );
  app.use(auditTrail); // expect: pipeline-order
  app.use(passport.initialize());
  app.use(passport.session());
  app.use("/api/invoices", ensureLoggedIn, invoicesRouter);
  return app;
}
