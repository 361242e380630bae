// The paper's progress-monitoring table (section 4.3) and its cascade intervention threshold
// (recommendation 3), applied to the error counts of a PR's commits. Pure.
import type { Config } from "../config/schema.js";
import type { LoopSign } from "./patterns.js";

export type Thresholds = Config["cascade"]["monitor"];
export type Level = "healthy" | "warning" | "critical";
/** "pending": the newest commit's CI has not finished; "none": too little to judge. */
export type VerdictLevel = Level | "pending" | "none";
export type Trend = "decreasing" | "flat" | "increasing";

export interface CommitCount {
  sha: string;
  /** First line of the commit message. */
  message: string;
  /** counted: CI finished; pending: CI still running (or not started on the head); no-ci: nothing ran. */
  status: "counted" | "pending" | "no-ci";
  errors?: number;
  /** Where the count came from (annotations, job log, passing checks, command output). */
  source: string;
}

export interface SeriesRow extends CommitCount {
  /** Errors resolved per commit since the previous counted commit (negative: errors added). */
  resolved?: number;
}

export interface Metrics {
  /** Mean errors resolved per commit over the window. */
  rate: number;
  /** Consecutive newest commits that resolved too few errors. */
  stalled: number;
  trend: Trend;
  /** Commits the rate and trend were taken over. */
  window: number;
  from: number;
  to: number;
}

export interface Verdict {
  level: VerdictLevel;
  /** One sentence, e.g. "not converging: 3 commits in a row resolved fewer than 3 errors". */
  sentence: string;
  /** What to do about it. */
  advice: string;
  reasons: string[];
  /** Oldest first. */
  rows: SeriesRow[];
  metrics?: Metrics;
  signs: LoopSign[];
}

const RANK: Record<Level, number> = { healthy: 0, warning: 1, critical: 2 };
const short = (sha: string) => sha.slice(0, 7);
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const commits = (n: number) => `${n} commit${n === 1 ? "" : "s"}`;

export const STOP_ADVICE =
  "Stop fixing error by error. Inventory every breaking change first (renames, signature changes, moved types), " +
  "migrate all their dependents in one batch, then run the full check once.";

/** Resolved-per-commit for each counted commit against the previous counted one (commits without CI in between share it). */
export function withResolved(series: CommitCount[]): SeriesRow[] {
  let prev: { index: number; errors: number } | undefined;
  return series.map((c, index) => {
    if (c.status !== "counted" || c.errors === undefined) return { ...c };
    const row: SeriesRow = { ...c };
    if (prev) row.resolved = Math.round(((prev.errors - c.errors) / (index - prev.index)) * 10) / 10;
    prev = { index, errors: c.errors };
    return row;
  });
}

/** The verdict over a series of commits, oldest first. */
export function evaluate(series: CommitCount[], t: Thresholds, signs: LoopSign[] = []): Verdict {
  const rows = withResolved(series);
  const counted = rows.filter((r) => r.status === "counted");
  const base = { rows, signs, reasons: signs.map(signReason) };
  const head = rows[rows.length - 1];
  if (!head) return { ...base, level: "none", sentence: "no commits to measure", advice: "" };
  if (head.status !== "counted") {
    const what = head.status === "pending" ? "is still running" : "has not reported";
    return { ...base, level: "pending", sentence: `waiting for CI on ${short(head.sha)}: the verdict comes when it finishes (CI ${what})`, advice: "" };
  }
  const peak = Math.max(...counted.map((r) => r.errors!));
  const last = head.errors!;
  if (last === 0) {
    const sentence = peak === 0 ? `no errors: CI reported none on ${commits(counted.length)}` : `converging: ${counted[0].errors} → 0 errors over ${commits(rows.length)}`;
    return { ...base, level: "healthy", sentence, advice: "" };
  }
  if (counted.length < 2) {
    return { ...base, level: "none", sentence: `${last} errors on ${short(head.sha)}; a verdict needs two commits with finished CI`, advice: "" };
  }
  const metrics = measure(rows, t);
  const levels = metricLevels(metrics, t);
  const level = (Object.values(levels) as Level[]).reduce((a, b) => (RANK[b] > RANK[a] ? b : a), "healthy");
  return {
    ...base,
    level,
    metrics,
    sentence: sentenceFor(level, levels, metrics, rows, t),
    advice: level === "critical" ? STOP_ADVICE : level === "warning" ? warningAdvice(t) : "",
    reasons: [...metricReasons(metrics, t), ...base.reasons],
  };
}

function measure(rows: SeriesRow[], t: Thresholds): Metrics {
  const countedIdx = rows.map((r, i) => (r.status === "counted" ? i : -1)).filter((i) => i >= 0);
  // The window: the newest `t.window` commits, measured from the counted commit just before them.
  const lastIdx = countedIdx[countedIdx.length - 1];
  const startIdx = [...countedIdx].reverse().find((i) => lastIdx - i >= t.window) ?? countedIdx[0];
  const from = rows[startIdx].errors!;
  const to = rows[lastIdx].errors!;
  const span = lastIdx - startIdx;
  const rate = Math.round(((from - to) / span) * 10) / 10;
  // Stalled: newest commits (counting those without CI in a gap) that resolved fewer than the threshold.
  let stalled = 0;
  for (let k = countedIdx.length - 1; k > 0; k--) {
    const cur = rows[countedIdx[k]];
    const prev = rows[countedIdx[k - 1]];
    if (cur.resolved! >= Math.min(t.stall_below, prev.errors!)) break;
    stalled += countedIdx[k] - countedIdx[k - 1];
  }
  const trend: Trend = to < from ? "decreasing" : to > from ? "increasing" : "flat";
  return { rate, stalled, trend, window: span, from, to };
}

function metricLevels(m: Metrics, t: Thresholds): { rate: Level; stalled: Level; trend: Level } {
  return {
    rate: m.rate >= t.healthy_resolved ? "healthy" : m.rate >= t.critical_resolved ? "warning" : "critical",
    stalled: m.stalled >= t.stalled_critical ? "critical" : m.stalled >= t.stalled_warning ? "warning" : "healthy",
    trend: m.trend === "decreasing" ? "healthy" : m.trend === "flat" ? "warning" : "critical",
  };
}

function sentenceFor(level: Level, levels: ReturnType<typeof metricLevels>, m: Metrics, rows: SeriesRow[], t: Thresholds): string {
  const counted = rows.filter((r) => r.status === "counted");
  if (level === "healthy") return `converging: ${counted[0].errors} → ${m.to} errors over ${commits(rows.length)} (${fmt(m.rate)} resolved per commit)`;
  const prefix = level === "critical" ? "not converging" : "slowing down";
  if (levels.stalled === level) return `${prefix}: ${commits(m.stalled)} in a row resolved fewer than ${fmt(t.stall_below)} errors`;
  if (levels.trend === level) {
    return m.trend === "flat" ? `${prefix}: still ${m.to} errors after the last ${commits(m.window)}` : `${prefix}: errors rose from ${m.from} to ${m.to} over the last ${commits(m.window)}`;
  }
  return `${prefix}: ${fmt(m.rate)} errors resolved per commit over the last ${commits(m.window)}`;
}

function metricReasons(m: Metrics, t: Thresholds): string[] {
  return [
    `errors resolved per commit over the last ${commits(m.window)}: ${fmt(m.rate)} (healthy from ${fmt(t.healthy_resolved)}, critical below ${fmt(t.critical_resolved)})`,
    `stalled commits in a row (resolving fewer than ${fmt(t.stall_below)}): ${m.stalled} (warning from ${t.stalled_warning}, critical from ${t.stalled_critical})`,
    `trend over the last ${commits(m.window)}: ${m.trend} (${m.from} → ${m.to} errors)`,
  ];
}

function warningAdvice(t: Thresholds): string {
  return `Watch the next commits: once ${commits(t.stalled_critical)} in a row resolve fewer than ${fmt(t.stall_below)} errors, stop and migrate the rest in one batch.`;
}

function signReason(s: LoopSign): string {
  return s.kind === "message" ? `commit ${s.where} says "${s.what}"` : `\`${s.what}\` added at ${s.where} silences the compiler`;
}
