import { defineRule } from "../src/engine/rule.js";

// Work in progress: detectors and cases are being written.
export default defineRule({
  meta: {
    id: "stale-dependents",
    category: "cascade",
    languages: ["typescript", "rust"],
    severity: "warning",
    description: "",
    why: "",
    fix: "",
  },
  detect: {},
  cases: [],
});
