// Starts the project's shared private engine before its tests and removes it after: tests never touch the machine's
// engine. Each project of vitest.config.ts names its engine kind (`engineKind`); the suite has one engine per kind.
import type { TestProject } from 'vitest/node';
import { startEngine, type PrivateEngine } from '../helpers/engine.js';
import type { EngineKind } from './engines.js';

let engine: PrivateEngine | undefined;

export async function setup(project: TestProject): Promise<void> {
  const kind = (project.config.provide as { engineKind?: EngineKind } | undefined)?.engineKind ?? '20.10';
  engine = await startEngine('shared', '1G', kind);
  project.provide('dockerHost', engine.host);
}

export async function teardown(): Promise<void> {
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
    engineKind: EngineKind;
  }
}
