// Types for minimize.mjs.
export function minimizeText(
  text: string,
  stillFails: (candidate: string) => boolean,
  limits?: { maxTries?: number; budgetMs?: number },
): string;
