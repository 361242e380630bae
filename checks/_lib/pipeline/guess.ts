// A step whose definition is in neither the PR nor the repository files read: judge it from what is visible
// (its name), and say so. Reports resting on a guess are one severity lower.
const IDENTITY_NAME = /auth(?!or)|jwt|passport|session|bearer|login|identity|principal|clerk|oidc/i;

export function guessIdentity(name: string, values: string[]): { provides: string[]; from: string } | undefined {
  return IDENTITY_NAME.test(name) ? { provides: values, from: `its name \`${name}\`` } : undefined;
}
