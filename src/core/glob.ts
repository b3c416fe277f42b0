// `--keep-image` patterns: shell-like globs over image references, compiled once while parsing settings.

/** Compiles a glob (`*` any run of characters but `/`, `**` any run, `?` one character) into an anchored RegExp. */
export function compileGlob(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** True when a reference matches a pattern; a pattern without a tag also matches every tag (`node` keeps `node:20`). */
export function matchesAny(reference: string, patterns: readonly RegExp[]): boolean {
  const repository = reference.replace(/:[^:/]+$/, '');
  return patterns.some((p) => p.test(reference) || p.test(repository));
}
