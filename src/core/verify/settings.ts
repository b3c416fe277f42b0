// `verify`'s raw options + environment → validated VerifySettings, before any request is made.
import type { Env } from '../engine/target.js';
import { UsageError } from '../errors.js';
import { parseDuration as parseDurationIn } from '../units.js';
import { parseFieldPath } from './field.js';
import { echoForms } from './secrets.js';

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
  /** A single URL without --all-addresses or --direct stands for several replicas (a load balancer): a pool. */
  readonly pool: boolean;
  /** How many replicas must be verified (each URL is one, or each address with --all-addresses; a pool is one). */
  readonly minReplicas: number;
  /** The replicas behind a pool (--replicas for a pool; the pool rule assumes 3 when it is not given). */
  readonly poolSize: number | undefined;
  /** Follow a redirect to another origin and credit its answer to the replica (reported per attempt). */
  readonly followCrossHost: boolean;
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
  readonly direct?: boolean | undefined;
  readonly followRedirectsCrossHost?: boolean | undefined;
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
export function parseVerifyUrl(text: string): { url: VerifyUrl; credentials: { username: string; password: string } | undefined } {
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
  const credentials = parsed.username === '' && parsed.password === '' ? undefined : { username: parsed.username, password: parsed.password };
  const display = new URL(parsed.href);
  display.username = '';
  display.password = '';
  return { url: { url: parsed.href, display: display.href }, credentials };
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
  const field = parseFieldPath(raw.field ?? 'buildNumber');
  if (field === undefined) {
    throw new UsageError(`--field takes a path such as \`meta.buildNumber\` (or .NET's \`Meta__BuildNumber\`, \`Meta:BuildNumber\`), not \`${raw.field}\``);
  }
  const credentials: { username: string; password: string }[] = [];
  const urls = raw.urls.map((text) => {
    const parsed = parseVerifyUrl(text);
    if (parsed.credentials !== undefined) credentials.push(parsed.credentials);
    return parsed.url;
  });
  const headers = [...(raw.header ?? []).map(parseHeader), ...(raw.headerEnv ?? []).map((h) => parseHeaderEnv(h, env))];
  const secrets = echoForms(headers.map((h) => h.value), credentials);
  const timeoutMs = parseDuration(raw.timeout ?? '5m', '--timeout');
  const intervalMs = parseDuration(raw.interval ?? '2s', '--interval');
  const requestTimeoutMs = parseDuration(raw.requestTimeout ?? '5s', '--request-timeout');
  if (requestTimeoutMs === 0) throw new UsageError('--request-timeout must be more than 0');
  if (raw.insecure && raw.ca !== undefined) throw new UsageError('--insecure and --ca exclude each other: --ca verifies with that CA');
  const replicas = positiveInteger(raw.replicas, 1, '--replicas', 1);
  if (raw.direct === true && raw.allAddresses === true) throw new UsageError('--direct and --all-addresses exclude each other: --all-addresses already checks each address directly');
  // One URL is a load balancer's (a pool) unless the user says it is one replica: assuming so is the safe side.
  const pool = urls.length === 1 && raw.allAddresses !== true && raw.direct !== true;
  const minReplicas = pool ? 1 : replicas;
  // Without --all-addresses each URL is one replica: more could never be found.
  if (!pool && raw.allAddresses !== true && minReplicas > urls.length) {
    throw new UsageError(`--replicas ${minReplicas} asks for more replicas than the ${urls.length} URL(s) given; use --all-addresses to count a name's addresses`);
  }
  return {
    urls,
    expect: expect.trim(),
    field,
    allAddresses: raw.allAddresses === true,
    pool,
    minReplicas,
    poolSize: pool ? raw.replicas : undefined,
    followCrossHost: raw.followRedirectsCrossHost === true,
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

/** The PEM certificate blocks of a `--ca` file; none (a key, DER bytes, an empty file) is a usage error. */
export function caCertificates(text: string, file: string): string[] {
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g)].map((m) => m[0]);
  if (blocks.length === 0) {
    throw new UsageError(`--ca \`${file}\` holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, {
      hint: 'give the CA certificate(s) in PEM form; convert a DER file with `openssl x509 -inform der -in ca.der -out ca.pem`',
    });
  }
  return blocks;
}
