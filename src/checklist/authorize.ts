// Who may tick what: write access or more; the PR author not on independent categories; approver teams.
import type { Config } from "../config/schema.js";
import type { CategoryId } from "../engine/types.js";

export type Permission = "admin" | "write" | "read" | "none";

export interface Editor {
  login: string;
  permission: Permission;
  isAuthor: boolean;
  /** Whether the editor is an active member of org/team (cached by the caller). */
  inTeam: (team: string) => Promise<boolean>;
}

export type Verdict = { ok: true } | { ok: false; why: string };

const CATEGORY_WORDS: Record<CategoryId, string> = {
  novel: "novel design",
  framework: "framework execution order",
  performance: "uncached external call",
  security: "security",
  resilience: "resilience",
  business: "business rule",
  cascade: "cascading change",
};

/** Whether `editor` may change an item (or inline box) of `category` ("always" for general items). */
export async function authorize(category: CategoryId | "always", editor: Editor, config: Config): Promise<Verdict> {
  if (editor.permission !== "admin" && editor.permission !== "write") {
    return { ok: false, why: `@${editor.login} has ${editor.permission} access; attesting needs write access or more` };
  }
  if (category === "always") return { ok: true };
  if (editor.isAuthor && config.checklist.independent.includes(category)) {
    return { ok: false, why: `the PR author cannot attest ${CATEGORY_WORDS[category]} items; someone else must review them` };
  }
  const team = config.checklist.approvers[category];
  if (team && !(await editor.inTeam(team))) {
    return { ok: false, why: `only members of ${team} may attest ${CATEGORY_WORDS[category]} items` };
  }
  return { ok: true };
}
