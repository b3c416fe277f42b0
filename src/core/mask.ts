// Secret masking. Everything printed passes through here first: env values, build args, header values.
import type { ParsedFlag } from './pflag.js';

/** What a masked value is replaced with. */
export const MASK = '***';

/**
 * Whether a variable's name says it holds a secret (`TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`, `API_KEY`).
 * `run` masks every `-e` value it prints (the values are the user's, at run time); `audit` prints lines already in
 * the repository and masks only the values of such names.
 */
export function looksSecret(name: string): boolean {
  return /pass(word|wd)?|pwd|secret|token|credential|auth|private|api_?key|access_?key|_key$|^key$|cookie|session|signature|cert/i.test(name);
}

/** Which `NAME=VALUE` values to mask: every one (the default), or those whose name passes. */
export type MaskNames = (name: string) => boolean;

/** Masks the values of secret-carrying flags in an argv: `-e NAME=VALUE` becomes `-e NAME=***`; `-e NAME` is kept. */
export function maskFlagValues(args: readonly string[], flags: readonly ParsedFlag[], secret: ReadonlySet<string>, names: MaskNames = () => true): string[] {
  const out = [...args];
  for (const flag of flags) {
    if (!secret.has(flag.long) || flag.valueAt === undefined) continue;
    const { token, offset } = flag.valueAt;
    const text = out[token]!;
    const value = text.slice(offset);
    const eq = value.indexOf('=');
    // `NAME` alone takes the value from the environment: nothing secret is on the command line.
    if (eq === -1 || !names(value.slice(0, eq))) continue;
    out[token] = text.slice(0, offset) + value.slice(0, eq + 1) + MASK;
  }
  return out;
}

/** A secret as it appears raw, inside a JSON string, and in XML text: masking runs after encoding. */
function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  return [...new Set([secret, json, xml])];
}

/** Replaces every occurrence of each known secret (of 3 characters or more), raw or JSON- or XML-encoded, in a text. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    for (const form of secretForms(secret)) out = out.split(form).join(MASK);
  }
  return out;
}

/** Quotes an argv for display as a shell would read it, escaping control characters so output stays one line. */
export function displayArgv(argv: readonly string[]): string {
  return argv
    .map((arg) => {
      const escaped = escapeControl(arg);
      return /^[\w@%+=:,./-]+$/.test(escaped) ? escaped : `'${escaped.replaceAll("'", `'\\''`)}'`;
    })
    .join(' ');
}

/** Replaces control characters (newlines, escapes) with visible escapes, so no value can forge or hide a line. */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/**
 * An engine URL as it may be shown: credentials and query values masked (`tcp://user:pw@h:2375/?token=t` becomes
 * `tcp://***@h:2375/?token=***`). An ssh:// user name alone is kept: it names an account, it opens nothing.
 */
export function maskUrlSecrets(url: string): string {
  const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i.exec(url);
  let out = url;
  if (userinfo && !(/^ssh:/i.test(url) && !userinfo[2]!.includes(':'))) out = `${userinfo[1]}${MASK}@${url.slice(userinfo[0].length)}`;
  const query = out.search(/[?#]/);
  if (query === -1) return out;
  return out.slice(0, query) + out.slice(query).replace(/([?&#][^=&#]*=)[^&#]*/g, `$1${MASK}`);
}

/** The parts of an engine URL that must never be printed (credentials, query values), for the output's secret list. */
export function urlSecrets(url: string): string[] {
  const found = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url)?.[1];
  const userinfo = found !== undefined && /^ssh:/i.test(url) && !found.includes(':') ? undefined : found;
  const query = url.search(/[?#]/) === -1 ? '' : url.slice(url.search(/[?#]/) + 1);
  const values = [...query.matchAll(/(?:^|[&#])[^=&#]*=([^&#]*)/g)].map((m) => m[1]!);
  const parts = [...(userinfo === undefined ? [] : [userinfo, ...userinfo.split(':').slice(1)]), ...values].filter((v) => v !== '');
  return [...new Set(parts.flatMap((p) => [p, safeDecode(p)]))];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
