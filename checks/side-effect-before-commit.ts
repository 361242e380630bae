import { defineRule } from "../src/engine/rule.js";

// Work in progress: detectors and cases are being written.
export default defineRule({
  meta: {
    id: "side-effect-before-commit",
    category: "framework",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "",
    why: "",
    fix: "",
  },
  detect: {},
  cases: [],
});
