// Messages quote code in backtick spans. Source pasted from the tree can run over several lines or carry comments;
// every message is tidied here, for every rule: one line per span, comments dropped, long spans shortened.

const MAX_SPAN = 80;

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

/** Every backtick span of a message on one line and short; the rest of the message on one line too. */
export function tidyMessage(message: string): string {
  return message
    .replace(/`([^`]+)`/g, (whole, span: string) => (span.includes("\n") || span.length > MAX_SPAN + 20 ? `\`${codeSpan(span)}\`` : whole))
    .replace(/\s*\n\s*/g, " ");
}
