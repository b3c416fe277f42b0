// Renderers for every command's events (the full CLI; `run`'s hot path uses BASE_RENDERERS instead).
import type { Renderers } from './base.js';
import { renderHuman } from './human.js';
import { renderJson } from './json.js';

/** Every event, human or JSON. */
export const ALL_RENDERERS: Renderers = { human: renderHuman, json: renderJson };
