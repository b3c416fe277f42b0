// Composition root of `verify`: validated settings, the real HTTP, resolver, clock, file writer and signals.
import { verify } from '../../commands/verify.js';
import { UsageError } from '../../core/errors.js';
import { caCertificates, parseVerifySettings, type VerifyRawOptions } from '../../core/verify/settings.js';
import { createClock } from '../../edge/clock.js';
import { createHttp } from '../../edge/http.js';
import { createResolver } from '../../edge/resolver.js';
import { writeTextFile } from '../../edge/text-file.js';
import { onAbort, signalNumber } from '../../edge/signals.js';
import { VERSION } from '../../version.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper verify` with what yargs parsed. */
export async function verifyCommand(raw: VerifyRawOptions, ctx: CommandContext): Promise<number> {
  const settings = parseVerifySettings(raw, ctx.env);
  let ca: string | undefined;
  if (settings.caFile !== undefined) {
    try {
      ca = await process.getBuiltinModule('node:fs/promises').readFile(settings.caFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--ca: cannot read \`${settings.caFile}\` (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
    // A usage error now, rather than every attempt failing TLS until the deadline. node:crypto only when asked.
    const { X509Certificate } = await import('node:crypto');
    for (const pem of caCertificates(ca, settings.caFile)) {
      try {
        new X509Certificate(pem);
      } catch (error) {
        throw new UsageError(`--ca \`${settings.caFile}\` holds a PEM block that is not a certificate (${(error as Error).message})`, { cause: error });
      }
    }
  }
  return verify({
    settings,
    output: ctx.output,
    http: createHttp({
      headers: settings.headers,
      ca,
      insecure: settings.insecure,
      env: ctx.env,
      userAgent: `whalekeeper/${VERSION}`,
    }),
    resolver: createResolver(),
    clock: createClock(),
    writeFile: (path, text) => writeTextFile(path, text),
    onAbort,
    signalNumber,
    live: ctx.streams.err.isTTY === true && !ctx.settings.json,
    screen: () => {
      const err = ctx.streams.err as { columns?: number; rows?: number };
      return { columns: err.columns ?? 80, rows: err.rows ?? 24 };
    },
  });
}
