// Events of `whalekeeper build`. Docker's own output is streamed untouched; these are whalekeeper's lines around it.
import type { BuildNumberDeclaration } from './dockerfile-check.js';

/** Events of `whalekeeper build`. */
export type BuildEvent =
  /** The Dockerfile in use does not let the build number in (`ARG BUILD_NUMBER` missing from the stage built). */
  | {
      readonly type: 'build-number-undeclared';
      readonly dockerfile: string;
      readonly declaration: Exclude<BuildNumberDeclaration, 'declared'>;
      readonly target: string | undefined;
      /** The build number that would have gone in, if known. */
      readonly buildNumber: string | undefined;
      /** The Dockerfile lines that make the number visible to the application. */
      readonly lines: readonly string[];
    };
