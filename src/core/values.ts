// Small value readers shared by the settings of every command.

/** The value, or undefined when it is missing or empty (an empty variable counts as unset, as in the docker client). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A boolean written by a person, in a flag or a variable: 1/true/yes or 0/false/no, any case; undefined otherwise. */
export function parseBoolWord(raw: string): boolean | undefined {
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  return undefined;
}
