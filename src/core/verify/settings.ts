// `verify`'s raw options + environment → validated VerifySettings, before any request is made.
import type { Env } from '../engine-target.js';
import { UsageError } from '../errors.js';
import { parseDuration as parseDurationIn } from '../units.js';

/** One replica target as given: the URL to GET (with /diagnostics filled in) and how to show it. */
export interface VerifyUrl {
  readonly url: string;
  /** The URL with any credentials removed: the only form that is ever printed. */
  readonly display: string;
}

/** A request header; its value is a secret and never printed. */
export interface VerifyHeader {
  readonly name: string;
  readonly value: string;
}

/** Everything `verify` needs to know, validated. Durations in milliseconds. */
export interface VerifySettings {
  readonly urls: readonly VerifyUrl[];
  readonly expect: string;
  readonly field: readonly string[];
  readonly allAddresses: boolean;
  readonly minReplicas: number;
  readonly stable: number;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly requestTimeoutMs: number;
  readonly allowNewer: boolean;
  readonly headers: readonly VerifyHeader[];
  readonly caFile: string | undefined;
  readonly insecure: boolean;
  readonly junitFile: string | undefined;
  /** Values that must never be printed: header values and URL credentials. */
  readonly secrets: readonly string[];
}

/** The options as yargs hands them over (strings as typed, before validation). */
export interface VerifyRawOptions {
  readonly urls: readonly string[];
  readonly expect?: string | number | undefined;
  readonly field?: string | undefined;
  readonly allAddresses?: boolean | undefined;
  readonly replicas?: number | undefined;
  readonly stable?: number | undefined;
  readonly timeout?: string | undefined;
  readonly interval?: string | undefined;
  readonly requestTimeout?: string | undefined;
  readonly allowNewer?: boolean | undefined;
  readonly header?: readonly string[] | undefined;
  readonly headerEnv?: readonly string[] | undefined;
  readonly ca?: string | undefined;
  readonly insecure?: boolean | undefined;
  readonly junit?: string | undefined;
}

/** verify's durations: `500ms`, `2s`, `5m`, `1h`, `1.5s`, and a bare number as seconds; names the flag when wrong. */
export function parseDuration(text: string, flag: string): number {
  return parseDurationIn(text, flag, { days: false, bareSeconds: true });
}

/** Adds /diagnostics to a URL without a path, checks the scheme, and splits off credentials for display. */
export function parseVerifyUrl(text: string): { url: VerifyUrl; secrets: string[] } {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new UsageError(`\`${stripCredentials(text)}\` is not a URL; give one such as \`https://app.example.com\` (/diagnostics is added)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`\`${stripCredentials(text)}\` is not an http or https URL`);
  }
  // `https://host` and `https://host/` have no path of their own: the service's diagnostics are meant.
  if (parsed.pathname === '/') parsed.pathname = '/diagnostics';
  const secrets = [parsed.username, parsed.password, decodeURIComponent(parsed.password)].filter((s) => s !== '');
  const display = new URL(parsed.href);
  display.username = '';
  display.password = '';
  return { url: { url: parsed.href, display: display.href }, secrets };
}

/** A URL as text with any `user:pass@` removed, for error messages about unparsable input. */
function stripCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//');
}

/** Parses `Name: value`; the value may be empty but the name must be a token. */
export function parseHeader(text: string): VerifyHeader {
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new UsageError(`--header takes \`Name: value\`; got a value without a valid header name (values are never printed)`);
  }
  return { name, value: text.slice(colon + 1).trim() };
}

/** Parses `Name=ENV_VAR` and reads the variable; a missing or empty variable is a usage error. */
export function parseHeaderEnv(text: string, env: Env): VerifyHeader {
  const eq = text.indexOf('=');
  const name = eq === -1 ? '' : text.slice(0, eq).trim();
  const variable = eq === -1 ? '' : text.slice(eq + 1).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || variable === '') {
    throw new UsageError(`--header-env takes \`Name=ENV_VAR\`, not \`${text}\``);
  }
  const value = env[variable];
  if (value === undefined || value === '') throw new UsageError(`--header-env ${name}: the variable \`${variable}\` is not set`);
  return { name, value };
}

function positiveInteger(value: number | undefined, fallback: number, flag: string, min: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} takes a whole number of ${min} or more, not \`${String(value)}\``);
  return n;
}

/** Validates every option. The expected build comes from --expect, else BUILD_NUMBER; neither is a usage error. */
export function parseVerifySettings(raw: VerifyRawOptions, env: Env): VerifySettings {
  if (raw.urls.length === 0) throw new UsageError('give at least one URL to verify');
  const expect = raw.expect === undefined || raw.expect === '' ? env.BUILD_NUMBER : String(raw.expect);
  if (expect === undefined || expect.trim() === '') {
    throw new UsageError('no build to expect: give --expect N, or set BUILD_NUMBER (Jenkins sets it)');
  }
  const field = (raw.field ?? 'buildNumber').split('.');
  if (field.some((part) => part === '')) throw new UsageError(`--field takes a dotted path such as \`meta.buildNumber\`, not \`${raw.field}\``);
  const secrets: string[] = [];
  const urls = raw.urls.map((text) => {
    const parsed = parseVerifyUrl(text);
    secrets.push(...parsed.secrets);
    return parsed.url;
  });
  const headers = [...(raw.header ?? []).map(parseHeader), ...(raw.headerEnv ?? []).map((h) => parseHeaderEnv(h, env))];
  secrets.push(...headers.map((h) => h.value).filter((v) => v !== ''));
  const timeoutMs = parseDuration(raw.timeout ?? '5m', '--timeout');
  const intervalMs = parseDuration(raw.interval ?? '2s', '--interval');
  const requestTimeoutMs = parseDuration(raw.requestTimeout ?? '5s', '--request-timeout');
  if (requestTimeoutMs === 0) throw new UsageError('--request-timeout must be more than 0');
  if (raw.insecure && raw.ca !== undefined) throw new UsageError('--insecure and --ca exclude each other: --ca verifies with that CA');
  const minReplicas = positiveInteger(raw.replicas, 1, '--replicas', 1);
  // Without --all-addresses each URL is one replica: more could never be found.
  if (raw.allAddresses !== true && minReplicas > urls.length) {
    throw new UsageError(`--replicas ${minReplicas} asks for more replicas than the ${urls.length} URL(s) given; use --all-addresses to count a name's addresses`);
  }
  return {
    urls,
    expect: expect.trim(),
    field,
    allAddresses: raw.allAddresses === true,
    minReplicas,
    stable: positiveInteger(raw.stable, 2, '--stable', 1),
    timeoutMs,
    intervalMs,
    requestTimeoutMs,
    allowNewer: raw.allowNewer === true,
    headers,
    caFile: raw.ca,
    insecure: raw.insecure === true,
    junitFile: raw.junit,
    secrets,
  };
}
