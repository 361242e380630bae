// Messages quote code in backtick spans. Source pasted from the tree can run over several lines or carry comments;
// every message is tidied here, for every rule: one line per span, comments dropped, long spans shortened, and a
// call too long to quote whole quoted by its callee (`tracing::error!(…)`), never cut inside its arguments.

const MAX_SPAN = 80;
const MAX_CALL = 60;

/** A piece of source as one short line: comments dropped, whitespace collapsed (none inside brackets or around `.`), at most 80 characters. */
export function codeSpan(text: string, max = MAX_SPAN): string {
  // Only the start is shown: a long text (a call ending a chain of thousands) is cut before it is tidied.
  const cut = text.length > max * 8 + 200;
  const one = (cut ? text.slice(0, max * 8 + 200) : text)
    .replace(/(^|\s)(#|\/\/)[^\n]*/g, "$1")
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/\s+/g, " ")
    .replace(/\s+([.)\]])/g, "$1")
    .replace(/([.([])\s+/g, "$1")
    .replace(/,(?=\S)/g, ", ")
    .trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : cut ? `${one}…` : one;
}

/**
 * A call as one short span: whole when it fits on one short line, else its callee and `(…)` (`tracing::error!(…)`,
 * `sns.publish(…)`), so a message never carries a fragment of the arguments cut mid-way.
 */
export function callSpan(text: string, max = MAX_CALL, cut = false): string {
  const one = codeSpan(text, Number.MAX_SAFE_INTEGER);
  if (!cut && one.length <= max && !text.trim().includes("\n")) return one;
  const open = one.search(/!?[([{]/);
  if (open <= 0) return codeSpan(one, max);
  const callee = one.slice(0, open + (one[open] === "!" ? 2 : 1));
  const close = { "(": ")", "[": "]", "{": "}" }[callee.slice(-1)] ?? ")";
  return callee.length + 2 <= max ? `${callee}…${close}` : codeSpan(one, max);
}

/** A span a rule cut short (`foo(bar, "baz...`): its brackets do not balance. */
function cutShort(span: string): boolean {
  if (!/(\.\.\.|…)$/.test(span)) return false;
  const opens = (span.match(/[([{]/g) ?? []).length;
  const closes = (span.match(/[)\]}]/g) ?? []).length;
  return opens > closes || (span.match(/"/g) ?? []).length % 2 === 1;
}

/** Every backtick span of a message on one line and short; the rest of the message on one line too. */
export function tidyMessage(message: string): string {
  return message
    .replace(/`([^`]+)`/g, (whole, span: string) => {
      if (cutShort(span)) return `\`${callSpan(span.replace(/(\.\.\.|…)$/, ""), MAX_CALL, true)}\``;
      if (!span.includes("\n") && span.length <= MAX_SPAN + 20) return whole;
      const one = codeSpan(span);
      return `\`${cutShort(one) ? callSpan(span, MAX_SPAN, true) : one}\``;
    })
    .replace(/\s*\n\s*/g, " ");
}
