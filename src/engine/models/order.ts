// esbuild's CommonJS output lists exports alphabetically; users expect the order they wrote
// (the study trains MLP, TinyCNN, CNN, StrongCNN in that order), so it is recovered from the source.

const escape = (name: string): string => name.replace(/[$]/g, "\\$&");

function position(source: string, name: string): number {
  const declaration = new RegExp(
    `\\bexport\\s+(?:async\\s+)?(?:function\\s*\\*?|const|let|var|class)\\s*${escape(name)}\\b`,
  ).exec(source);
  if (declaration) return declaration.index;
  const anyMention = new RegExp(`(?<![\\w$])${escape(name)}(?![\\w$])`).exec(source);
  return anyMention ? anyMention.index : Number.MAX_SAFE_INTEGER;
}

/** Export names in the order the entry file declares them. */
export function inSourceOrder(names: string[], source: string): string[] {
  const at = new Map(names.map((name) => [name, position(source, name)]));
  return [...names].sort((a, b) => at.get(a)! - at.get(b)!);
}
