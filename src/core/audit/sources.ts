// The shell scripts inside the files `audit` reads: a Groovy file's `sh` strings (Groovy escapes decoded), a CI YAML's
// commands (YAML syntax blanked), a Makefile's recipes, a shell script as is. Each keeps a map back to the file's text.
import { groovyScripts } from './groovy.js';
import { makeLines, makeScript } from './make.js';
import type { ParseProblem } from './problems.js';

/**
 * A shell script found in a file: its text, and for each character the offset it came from in the file; `via` when a
 * Groovy variable held it: the variable, and the offsets of the `sh` call it reached.
 */
export interface ShellSegment {
  readonly text: string;
  readonly origin: readonly number[];
  readonly via?: { readonly variable: string; readonly at: number; readonly end: number };
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

/** The shell scripts of a file of the given kind; what the file's own reader (Groovy's) cannot parse goes to `problems`. */
export function shellSegments(text: string, kind: SourceKind, problems: ParseProblem[] = []): ShellSegment[] {
  switch (kind) {
    case 'shell':
      return [identity(text)];
    case 'make':
      return makeLines(makeScript(text), text);
    case 'yaml':
      return [identity(blankYamlSyntax(text))];
    case 'groovy':
      return groovyScripts(text, problems);
  }
}

function identity(text: string): ShellSegment {
  return { text, origin: Array.from({ length: text.length }, (_, i) => i) };
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
      const m = /^(\s*(?:-\s+)*)(?:(["']?)([\w.-]+)\2\s*:(?:\s+|$))?(.*)$/s.exec(line)!;
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
