// The checklist's trusted record (attestations, N/A answers, dismissed findings and their append-only history,
// the rendered snapshot), kept in a hidden block of the app's comment and signed with an HMAC so an edit of the
// comment cannot forge it.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { CategoryId, Severity } from "../engine/types.js";
import type { Dismissal, DismissReason } from "./dismiss.js";
import type { ChecklistLine } from "./template.js";

export interface Attestation {
  by: string;
  /** ISO time of the accepted tick. */
  at: string;
  /** Head SHA of the PR when the tick was accepted. */
  sha: string;
}

export interface NaAnswer extends Attestation {
  reason: string;
}

/** A failure-level finding of the last review: the gate needs each one fixed, suppressed or dismissed. */
export interface GateFinding {
  fp: string;
  category: CategoryId;
  ruleId: string;
  path: string;
  line?: number;
  severity?: Severity;
  /** Id of its inline review comment, when it has one. */
  comment?: number;
  /** The finding sits outside the diff (an unchanged file, or lines the diff does not show). */
  outside?: boolean;
  /** Suppressed by this PR (the marker's reason, PR text): open until someone allowed approves it by a dismissal. */
  pending?: string;
}

/**
 * One act on a finding, kept for good in the history: a dismissal (of a suppression added by the PR: its
 * approval) or a reopening. Who, when, at which head, why, and which finding instance.
 */
export interface LogEntry {
  act: "dismiss" | "approve" | "reopen";
  by: string;
  at: string;
  /** Head SHA of the PR when it was recorded. */
  sha: string;
  reason?: DismissReason;
  fp: string;
  ruleId: string;
  category: CategoryId;
  path: string;
  line?: number;
}

/** Entries past MAX_LOG: their count and a hash chain over them, so what was dropped is still pinned. */
export interface LogTrimmed {
  count: number;
  digest: string;
}

/** Why a group of items is on the checklist: the files that brought it (the first few) and how many. */
export interface ItemScope {
  files: string[];
  count: number;
}

/** What the comment shows besides the items, set by the review (the tick handlers re-render from it). */
export interface StateView {
  /** The PR's page and the check run's page on GitHub. */
  prUrl?: string;
  runUrl?: string;
  /** Who may tick what, in one line. */
  who?: string;
  /** Why each group is there ("always": the general questions), by category. */
  scope?: Partial<Record<CategoryId | "always", ItemScope>>;
  /** Warning-level findings per category (listed in the check run, not here). */
  warnings?: Partial<Record<CategoryId, number>>;
  /** The change touches no category: nothing to tick. */
  noCategory?: boolean;
}

export interface ChecklistState {
  v: 1;
  repo: string;
  pr: number;
  /** Head SHA the state was last brought up to date with. */
  head: string;
  /** Raised on every change: of several valid blocks (a replayed old one), the highest wins. */
  seq: number;
  /** The checklist as rendered by the last review (restores deleted or reworded items). */
  lines: ChecklistLine[];
  failures: GateFinding[];
  /** Failure-level findings past MAX_GATE_FINDINGS: counted (they keep the gate shut), not stored. */
  moreFailures?: number;
  ticks: Record<string, Attestation>;
  na: Record<string, NaAnswer>;
  /** Dismissed findings, by fingerprint (see dismiss.ts). */
  dismissed: Record<string, Dismissal>;
  /** Every dismissal, approval and reopening, oldest first; only ever appended to (see appendLog). */
  log: LogEntry[];
  logTrimmed?: LogTrimmed;
  /** Visible notes (reverted ticks, resets), newest first. */
  notes: string[];
  view?: StateView;
}

export const MAX_NOTES = 8;
/** History entries kept in full; older ones are folded into `logTrimmed`. */
export const MAX_LOG = 100;
/** Failure findings kept in the state block, so the comment stays far below GitHub's 65,536 characters. */
export const MAX_GATE_FINDINGS = 200;

const BLOCK = /<!--\s*ai-gaps:state\s+([A-Za-z0-9_-]+)\.([a-f0-9]{64})\s*-->/g;

/**
 * The keys of the checklist state and inline markers: `sign` writes, any of `verify` reads (the previous key
 * during a rotation). A bare Buffer is one key for both.
 */
export type KeyRing = Buffer | { sign: Buffer; verify: Buffer[] };

export function signingKey(keys: KeyRing): Buffer {
  return Buffer.isBuffer(keys) ? keys : keys.sign;
}

export function verifyingKeys(keys: KeyRing): Buffer[] {
  return Buffer.isBuffer(keys) ? [keys] : keys.verify;
}

/** Derives the signing key from the app's secret (webhook secret or private key); never a constant. */
export function stateKey(secret: string): Buffer {
  if (!secret) throw new Error("a secret is needed to sign the checklist state");
  return Buffer.from(hkdfSync("sha256", secret, "ai-gaps", "checklist-state v1", 32));
}

function mac(key: Buffer, repo: string, pr: number, payload: string): string {
  return createHmac("sha256", key).update(`${repo}#${pr}\n${payload}`).digest("hex");
}

export function emptyState(repo: string, pr: number, head: string): ChecklistState {
  return { v: 1, repo, pr, head, seq: 0, lines: [], failures: [], ticks: {}, na: {}, dismissed: {}, log: [], notes: [] };
}

export function encodeState(state: ChecklistState, keys: KeyRing): string {
  const payload = deflateRawSync(JSON.stringify(state)).toString("base64url");
  return `<!-- ai-gaps:state ${payload}.${mac(signingKey(keys), state.repo, state.pr, payload)} -->`;
}

export type StateRead =
  | { status: "ok"; state: ChecklistState }
  | { status: "missing" }
  | { status: "invalid"; reason: string };

/**
 * Reads and verifies the state block of a comment body, bound to one repository and PR. Every block is
 * tried (text users control, such as file names in notes, can look like one): the newest verified wins.
 */
export function readState(body: string | undefined | null, keys: KeyRing, repo: string, pr: number): StateRead {
  let best: StateRead = { status: "missing" };
  for (const [, payload, sig] of (body ?? "").matchAll(BLOCK)) {
    const read = verifyBlock(payload, sig, verifyingKeys(keys), repo, pr);
    if (read.status === "ok" ? best.status !== "ok" || (read.state.seq ?? 0) > (best.state.seq ?? 0) : best.status === "missing") best = read;
  }
  return best;
}

function verifyBlock(payload: string, sig: string, keys: Buffer[], repo: string, pr: number): StateRead {
  const given = Buffer.from(sig, "hex");
  if (!keys.some((key) => timingSafeEqual(Buffer.from(mac(key, repo, pr, payload), "hex"), given))) return { status: "invalid", reason: "signature does not match" };
  try {
    const state = JSON.parse(inflateRawSync(Buffer.from(payload, "base64url")).toString("utf8")) as ChecklistState & { reviewed?: unknown };
    if (state.v !== 1 || state.repo !== repo || state.pr !== pr) return { status: "invalid", reason: "state is for another PR" };
    // Older blocks kept "Reviewed" marks, which no longer close a finding: dropped, so the finding is open again.
    const { reviewed: _old, ...rest } = state;
    return { status: "ok", state: { ...rest, dismissed: rest.dismissed ?? {}, log: rest.log ?? [] } };
  } catch {
    return { status: "invalid", reason: "state block cannot be decoded" };
  }
}

/** Appends one entry to the history; past MAX_LOG the oldest go into the hash chain of `logTrimmed`. */
export function appendLog(state: ChecklistState, entry: LogEntry): ChecklistState {
  const log = [...state.log, entry];
  if (log.length <= MAX_LOG) return { ...state, log };
  const dropped = log.slice(0, log.length - MAX_LOG);
  let digest = state.logTrimmed?.digest ?? "";
  for (const e of dropped) digest = createHash("sha256").update(`${digest}\n${JSON.stringify(e)}`).digest("hex");
  return { ...state, log: log.slice(-MAX_LOG), logTrimmed: { count: (state.logTrimmed?.count ?? 0) + dropped.length, digest } };
}

/** Adds notes, newest first, keeping the list short. */
export function withNotes(state: ChecklistState, notes: string[]): ChecklistState {
  if (!notes.length) return state;
  return { ...state, notes: [...notes, ...state.notes].slice(0, MAX_NOTES) };
}

/** Short HMAC for the hidden marker of an inline comment (binds fingerprint, category and severity). */
export function signFinding(key: KeyRing, repo: string, pr: number, fields: string): string {
  return createHmac("sha256", signingKey(key)).update(`finding ${repo}#${pr}\n${fields}`).digest("hex").slice(0, 32);
}

/** `next` with a raised sequence number when it differs from `prev`; `prev` itself when nothing changed. */
export function bump(prev: ChecklistState, next: ChecklistState): ChecklistState {
  const { seq: _a, ...a } = prev;
  const { seq: _b, ...b } = next;
  return JSON.stringify(a) === JSON.stringify(b) ? prev : { ...next, seq: (prev.seq ?? 0) + 1 };
}

/**
 * The keys of the checklist state (see README, "Keys and rotation"):
 * - AI_GAPS_STATE_KEY, when set, alone signs; rotating WEBHOOK_SECRET or the private key then changes nothing.
 *   The key derived from the private key and WEBHOOK_SECRET is still accepted, so switching to it keeps the record.
 * - Without it, the key derives from the private key and WEBHOOK_SECRET, which only the app holds.
 * - During a rotation, AI_GAPS_PREVIOUS_STATE_KEY (the old AI_GAPS_STATE_KEY) or AI_GAPS_PREVIOUS_WEBHOOK_SECRET
 *   (the old webhook secret) is accepted for reading; every record read is written back under the new key.
 * Without any secret (tests, setup mode) a random key per process: state then does not outlive it.
 */
export function keyFromEnv(env: Record<string, string | undefined>): KeyRing {
  const keyFile = env.PRIVATE_KEY_PATH && existsSync(env.PRIVATE_KEY_PATH) ? readFileSync(env.PRIVATE_KEY_PATH, "utf8") : "";
  const privateKey = env.PRIVATE_KEY || keyFile;
  const derived = (secret: string | undefined) => [privateKey, secret].filter(Boolean).join("\n");
  const material = env.AI_GAPS_STATE_KEY || derived(env.WEBHOOK_SECRET);
  const sign = stateKey(material || randomBytes(32).toString("hex"));
  const accepted = [
    env.AI_GAPS_STATE_KEY && derived(env.WEBHOOK_SECRET),
    env.AI_GAPS_PREVIOUS_STATE_KEY,
    env.AI_GAPS_PREVIOUS_WEBHOOK_SECRET && derived(env.AI_GAPS_PREVIOUS_WEBHOOK_SECRET),
  ].filter((m): m is string => !!m && m !== material);
  return { sign, verify: [sign, ...[...new Set(accepted)].map(stateKey)] };
}
