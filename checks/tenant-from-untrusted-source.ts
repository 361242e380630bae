import { defineRule } from "../src/engine/rule.js";

// Work in progress: detectors and cases are being written.
export default defineRule({
  meta: {
    id: "tenant-from-untrusted-source",
    category: "security",
    languages: ["typescript", "rust", "python"],
    severity: "warning",
    description: "",
    why: "",
    fix: "",
  },
  detect: {},
  cases: [],
});
