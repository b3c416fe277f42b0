// The build a container belongs to, taken from the CI environment unless given.
import type { Env } from './engine/target.js';
import { nonEmpty } from './values.js';

/** A build identity and the variable(s) it came from, for `--verbose` and `ls`. */
export interface BuildIdentity {
  readonly id: string;
  readonly source: string;
}


/** The build identity: --build, WHALEKEEPER_BUILD, then Jenkins, GitHub Actions or GitLab CI; undefined outside CI. */
export function resolveBuildIdentity(flag: string | undefined, env: Env): BuildIdentity | undefined {
  const explicit = nonEmpty(flag);
  if (explicit) return { id: explicit, source: '--build' };
  const wk = nonEmpty(env.WHALEKEEPER_BUILD);
  if (wk) return { id: wk, source: 'WHALEKEEPER_BUILD' };
  const tag = nonEmpty(env.BUILD_TAG);
  if (tag) return { id: tag, source: 'BUILD_TAG' };
  const job = nonEmpty(env.JOB_NAME);
  const number = nonEmpty(env.BUILD_NUMBER);
  // Jenkins builds BUILD_TAG the same way: "jenkins-" + the job name with slashes as dashes + "-" + the number.
  if (job && number) return { id: `jenkins-${job.replaceAll('/', '-')}-${number}`, source: 'JOB_NAME, BUILD_NUMBER' };
  if (env.GITHUB_ACTIONS === 'true' && nonEmpty(env.GITHUB_RUN_ID)) {
    const repo = nonEmpty(env.GITHUB_REPOSITORY) ?? 'repo';
    return {
      id: `github-${repo.replaceAll('/', '-')}-${env.GITHUB_RUN_ID}-${nonEmpty(env.GITHUB_RUN_ATTEMPT) ?? '1'}`,
      source: 'GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT',
    };
  }
  if (nonEmpty(env.GITLAB_CI) && nonEmpty(env.CI_JOB_ID)) {
    const project = nonEmpty(env.CI_PROJECT_PATH) ?? 'project';
    return { id: `gitlab-${project.replaceAll('/', '-')}-${env.CI_JOB_ID}`, source: 'CI_PROJECT_PATH, CI_JOB_ID' };
  }
  return undefined;
}

/** The CI build number (Jenkins BUILD_NUMBER, GitHub GITHUB_RUN_NUMBER, GitLab CI_PIPELINE_IID), if any. */
export function resolveBuildNumber(flag: string | undefined, env: Env): string | undefined {
  return nonEmpty(flag) ?? nonEmpty(env.WHALEKEEPER_BUILD_NUMBER) ?? nonEmpty(env.BUILD_NUMBER) ?? nonEmpty(env.GITHUB_RUN_NUMBER) ?? nonEmpty(env.CI_PIPELINE_IID);
}
