/** What went wrong, in words: an Error's message, or anything else thrown as a string. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
