import { defineRule } from "../src/engine/rule.js";

// Work in progress: detectors and cases are being written.
export default defineRule({
  meta: {
    id: "wide-mechanical-change",
    category: "cascade",
    languages: ["pr"],
    severity: "warning",
    description: "",
    why: "",
    fix: "",
  },
  detect: {},
  cases: [],
});
