// The pipeline-order cases, one module per framework adapter.
import type { RuleCase } from "../../../src/engine/rule.js";
import { actixCases } from "./actix.js";
import { axumRouteCases } from "./axum-routes.js";
import { axumCases } from "./axum.js";
import { djangoCases } from "./django.js";
import { authOrderCases } from "./express-auth.js";
import { expressCases } from "./express.js";
import { fastapiCases } from "./fastapi.js";
import { fastifyCases } from "./fastify.js";
import { flaskCases } from "./flask.js";
import { koaCases } from "./koa.js";
import { mongooseCases } from "./mongoose.js";
import { nestCases } from "./nest.js";
import { starletteCases } from "./starlette.js";

export const CASES: RuleCase[] = [
  ...actixCases(), ...axumCases(), ...axumRouteCases(), ...expressCases(), ...authOrderCases(), ...koaCases(), ...fastifyCases(),
  ...nestCases(), ...mongooseCases(), ...starletteCases(), ...fastapiCases(), ...djangoCases(), ...flaskCases(),
];
