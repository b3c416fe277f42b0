// The shell scripts inside the files `audit` reads: a Groovy file's `sh` strings (Groovy escapes decoded), a CI YAML's
// commands (YAML syntax blanked), a Makefile's recipes, a shell script as is. Each keeps a map back to the file's text.

/** A shell script found in a file: its text, and for each character the offset it came from in the file. */
export interface ShellSegment {
  readonly text: string;
  readonly origin: readonly number[];
}

/** The kinds of file `audit` reads. */
export type SourceKind = 'groovy' | 'shell' | 'make' | 'yaml';

/** The kind of a file by its name, or undefined when `audit` does not read such files. */
export function sourceKind(path: string): SourceKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/^Jenkinsfile/i.test(name) || /\.(groovy|gvy|jenkinsfile)$/i.test(name)) return 'groovy';
  if (/\.(sh|bash|ksh|zsh)$/i.test(name)) return 'shell';
  if (/^(GNUmakefile|[Mm]akefile)$/.test(name) || /\.mk$/i.test(name)) return 'make';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  return undefined;
}

/** The shell scripts of a file of the given kind. */
export function shellSegments(text: string, kind: SourceKind): ShellSegment[] {
  switch (kind) {
    case 'shell':
      return [identity(text)];
    case 'make':
      return [identity(blankMakeSyntax(text))];
    case 'yaml':
      return [identity(blankYamlSyntax(text))];
    case 'groovy':
      return groovyShellStrings(text);
  }
}

function identity(text: string): ShellSegment {
  return { text, origin: Array.from({ length: text.length }, (_, i) => i) };
}

/** A Makefile's recipe prefixes (tab, `@`, `-`, `+`) become spaces; `$$` is make's `$`. Offsets are kept. */
function blankMakeSyntax(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\t[ \t@+-]*)/, (m) => ' '.repeat(m.length)).replaceAll('$$', ' $'))
    .join('\n');
}

/** Keys whose values are commands in CI YAML (GitHub Actions, GitLab CI, Drone, CircleCI, Bitbucket, Azure, ...). */
const SCRIPT_KEYS = /^(run|script|scripts|command|commands|cmd|before_script|after_script|before_install|install|after_success|after_failure|bash|sh|shell|steps|inline|inlineScript)$/;

/**
 * A CI YAML with everything that is not a command blanked with spaces: list dashes, script keys, quotes around a
 * one-line command; lines under other keys are blanked whole. Block scalars (`run: |`) keep their lines.
 */
function blankYamlSyntax(text: string): string {
  const lines = text.split('\n');
  let blockIndent: number | undefined;
  let blockIsScript = false;
  return lines
    .map((line) => {
      const indent = /^ */.exec(line)![0].length;
      if (blockIndent !== undefined) {
        if (line.trim() === '' || indent > blockIndent) return blockIsScript ? line : ' '.repeat(line.length);
        blockIndent = undefined;
      }
      if (/^\s*#/.test(line)) return ' '.repeat(line.length);
      const m = /^(\s*(?:-\s+)*)(?:(["']?)([\w.-]+)\2\s*:(?:\s+|$))?(.*)$/.exec(line)!;
      const prefix = m[1]!;
      const key = m[3];
      const value = m[4]!;
      const head = line.length - value.length;
      const isScript = key === undefined ? prefix.includes('-') || prefix.length === 0 : SCRIPT_KEYS.test(key);
      if (/^[|>][-+0-9]*\s*(#.*)?$/.test(value)) {
        blockIndent = indent + (prefix.includes('-') ? prefix.length - indent : 0);
        blockIsScript = isScript || key === undefined;
        return ' '.repeat(line.length);
      }
      if (!isScript || (key === undefined && prefix.length === 0)) return ' '.repeat(line.length);
      const quoted = /^(["'])(.*)\1\s*$/.exec(value);
      const command = quoted ? ` ${quoted[2]!} ` : value;
      return ' '.repeat(head) + command.padEnd(value.length, ' ');
    })
    .join('\n');
}

/** Groovy string escapes: what the escaped character decodes to (a `\` before a newline removes the newline). */
const GROOVY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', $: '$', n: '\n', t: '\t', r: '\r', '\n': '' };

/**
 * The strings a Groovy file passes to `sh` (`sh 'x'`, `sh("""x""")`, `sh(script: '''x''', label: 'y')`), decoded
 * as Groovy decodes them: `\\` at a line's end becomes the shell's own continuation, `\$` a `$`.
 */
function groovyShellStrings(text: string): ShellSegment[] {
  const segments: ShellSegment[] = [];
  const callees: Array<string | undefined> = [];
  let previous: string[] = [];
  // A command-style `sh label: 'x', script: '…'` (no parentheses): its arguments run to the end of the statement.
  let shStatement = false;
  let shDepth = 0;
  let i = 0;
  const remember = (token: string): void => {
    previous = [...previous.slice(-2), token];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      const decoded: string[] = [];
      const origin: number[] = [];
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j)) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const escaped = GROOVY_ESCAPES[text[j + 1]!];
          const out = escaped ?? text.slice(j, j + 2);
          for (let k = 0; k < out.length; k++) {
            decoded.push(out[k]!);
            origin.push(j + (escaped === undefined ? k : 0));
          }
          j += 2;
          continue;
        }
        decoded.push(text[j]!);
        origin.push(j);
        j++;
      }
      const [first, before, last] = [previous.at(-3), previous.at(-2), previous.at(-1)];
      const callee = callees.at(-1);
      const scriptKey = last === ':' && before === 'script';
      // `sh 'x'`, `sh('x')`, `sh(script: 'x', …)`, `sh script: 'x', …`
      const isSh =
        last === 'sh' || (callee === 'sh' && (last === '(' || scriptKey)) || (scriptKey && (first === 'sh' || (shStatement && callees.length === shDepth)));
      if (isSh) segments.push({ text: decoded.join(''), origin });
      remember('string');
      i = j + quote.length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const word = /^[\w$]+/.exec(text.slice(i, i + 100))![0];
      if (word === 'sh') {
        shStatement = true;
        shDepth = callees.length;
      }
      remember(word);
      i += word.length;
      continue;
    }
    // A statement ends at a line's end, unless its arguments go on (`sh label: 'x',` ⏎ `script: '…'`).
    if ((c === '\n' || c === ';') && callees.length === shDepth && previous.at(-1) !== ',' && previous.at(-1) !== ':') shStatement = false;
    if (c === '(') {
      callees.push(previous.at(-1));
      remember('(');
    } else if (c === ')') {
      callees.pop();
      remember(')');
    } else if (c === ':' || c === ',') {
      remember(c);
    }
    i++;
  }
  return segments;
}
