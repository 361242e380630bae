// The registry: every rule module under checks/. Add a rule by adding its import here.
import type { Rule } from "../src/engine/rule.js";
import unstructuredLogging from "./unstructured-logging.js";

export const rules: Rule<any>[] = [unstructuredLogging];
