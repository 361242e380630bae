// Length limits of the check-runs API, applied in one place.

export const MAX_OUTPUT_CHARS = 65_535;
export const MAX_TITLE_CHARS = 255;
/** Annotation messages may be 64 KB; keep them readable well below that. */
export const MAX_MESSAGE_CHARS = 4_000;

/** Cuts text to at most `max` characters, saying so at the end. */
export function truncate(text: string, max: number, note = "\n\n…(cut to fit GitHub's limit)"): string {
  if (text.length <= max) return text;
  if (max <= note.length) return text.slice(0, max);
  return text.slice(0, max - note.length) + note;
}

export { cell } from "./markdown.js";

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
