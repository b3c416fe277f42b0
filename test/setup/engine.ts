// Starts the shared private engine before the tests and removes it after: tests never touch the machine's engine.
import type { TestProject } from 'vitest/node';
import { startEngine, type PrivateEngine } from '../helpers/engine.js';

let engine: PrivateEngine | undefined;

export async function setup(project: TestProject): Promise<void> {
  engine = await startEngine('shared');
  project.provide('dockerHost', engine.host);
}

export async function teardown(): Promise<void> {
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
  }
}
