// The one place that decides colour, and the small palette renderers use.

/** Colour functions for human output; all identity when colour is off. */
export interface Style {
  readonly error: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly ok: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
  /** Code-like values: backticks without colour (a Jenkins console), bold with it. */
  readonly code: (text: string) => string;
  readonly colour: boolean;
}

/** Colour only on a TTY, never with NO_COLOR set (any value) or TERM=dumb. */
export function wantsColour(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

const identity = (text: string): string => text;

/** The style for plain output: no escape codes, code-like values in backticks. */
export const PLAIN: Style = {
  error: identity,
  warn: identity,
  ok: identity,
  dim: identity,
  bold: identity,
  code: (text) => `\`${text}\``,
  colour: false,
};

/** Builds the colour style; chalk is loaded only here, only when colour is wanted (start-up stays small). */
export async function colourStyle(): Promise<Style> {
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return {
    error: (t) => chalk.red(t),
    warn: (t) => chalk.yellow(t),
    ok: (t) => chalk.green(t),
    dim: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
    code: (t) => chalk.bold(t),
    colour: true,
  };
}
