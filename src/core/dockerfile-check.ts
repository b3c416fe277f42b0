// Does the Dockerfile in use let the build number in? A pure reading of its text: instructions (line continuations,
// comments and the escape directive understood), stages, and the ARGs of the stage being built.
import { BUILD_NUMBER_ARG } from './build-args.js';

/** The verdict on one Dockerfile. `global-only`: declared before the first FROM only, so no stage sees it. */
export type BuildNumberDeclaration = 'declared' | 'missing' | 'global-only' | 'no-such-stage';

/** The two lines that make the build number visible to the application, shown when a Dockerfile lacks them. */
export const BUILD_NUMBER_LINES: readonly string[] = [`ARG ${BUILD_NUMBER_ARG}`, `ENV ${BUILD_NUMBER_ARG}=\${${BUILD_NUMBER_ARG}}`];

/** One instruction: its keyword (upper case) and its arguments, continuation lines joined. */
interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Splits a Dockerfile into instructions, as the BuildKit/classic parser does for the parts that matter here. */
export function dockerfileInstructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  // `# escape=`` ` `` (a parser directive on the first lines) changes the continuation character.
  let escape = '\\';
  for (const line of lines) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape') escape = directive[2]!;
  }
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of lines) {
    // Comment lines are dropped, also inside a continued instruction.
    if (/^\s*#/.test(raw)) continue;
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith(escape)) {
      pending += `${line.slice(0, -escape.length)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const match = /^(\S+)\s*(.*)$/s.exec(full)!;
    instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]! });
  }
  if (pending.trim() !== '') {
    const match = /^(\S+)\s*(.*)$/s.exec(pending.trim())!;
    instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]! });
  }
  return instructions;
}

/** True when an ARG instruction's arguments declare `name` (`ARG NAME`, `ARG NAME=default`, `ARG A NAME`). */
function declares(args: string, name: string): boolean {
  return args.split(/\s+/).some((word) => word === name || word.startsWith(`${name}=`));
}

/** Checks that the stage being built (`target`, else the last) declares `ARG BUILD_NUMBER`. */
export function checkBuildNumberArg(text: string, target: string | undefined): BuildNumberDeclaration {
  const stages: Array<{ name: string | undefined; args: string[] }> = [];
  let global = false;
  for (const { keyword, args } of dockerfileInstructions(text)) {
    if (keyword === 'FROM') {
      const name = /\s+as\s+(\S+)\s*$/i.exec(args)?.[1];
      stages.push({ name: name?.toLowerCase(), args: [] });
    } else if (keyword === 'ARG') {
      if (stages.length === 0) global ||= declares(args, BUILD_NUMBER_ARG);
      else stages.at(-1)!.args.push(args);
    }
  }
  const stage = target === undefined ? stages.at(-1) : stages.find((s) => s.name === target.toLowerCase());
  if (stage === undefined) return target === undefined ? (global ? 'global-only' : 'missing') : 'no-such-stage';
  if (stage.args.some((args) => declares(args, BUILD_NUMBER_ARG))) return 'declared';
  return global ? 'global-only' : 'missing';
}
