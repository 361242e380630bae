// Pure rendering of what the check run shows.
export * from "./annotations.js";
export * from "./pipelines.js";
export * from "./summary.js";
export * from "./text.js";
export * from "./markdown.js";
