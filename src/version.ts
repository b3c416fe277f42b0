// The package version, baked in by the bundler (scripts/build.mjs); a dev marker when run from source.
declare const __WHALEKEEPER_VERSION__: string | undefined;

/** whalekeeper's version. */
export const VERSION: string = typeof __WHALEKEEPER_VERSION__ === 'string' ? __WHALEKEEPER_VERSION__ : '0.0.0-dev';
