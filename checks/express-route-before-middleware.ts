import { defineRule } from "../src/engine/rule.js";

// Work in progress: detectors and cases are being written.
export default defineRule({
  meta: {
    id: "express-route-before-middleware",
    category: "framework",
    languages: ["typescript"],
    severity: "warning",
    description: "",
    why: "",
    fix: "",
  },
  detect: {},
  cases: [],
});
