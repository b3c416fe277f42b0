package io.whalekeeper

/**
 * Finds the whalekeeper CLI for a step, once per build and place: a node with its PATH (a nodejs { } block changes it)
 * or a dockerInside container (WHALEKEEPER_INSIDE), never by node name alone. The resolver resource runs through
 * `sh` where the step runs (in the container, inside dockerInside), every value in the environment.
 */
class Resolver implements Serializable {

    private static final long serialVersionUID = 1L

    /** Finds (or unpacks) the CLI and checks Node; prints the binary's path, or NEED_CLI when the bundle is wanted. */
    static final String RESOLVE_RESOURCE = 'io/whalekeeper/install.sh'

    /** The CLI of this very revision: `npm run build`'s dist/, packed by scripts/pack-library-cli.mjs. */
    static final String CLI_RESOURCE = 'io/whalekeeper/whalekeeper-cli.tgz'

    /** The SHA-256 of CLI_RESOURCE: names the unpacked CLI in the agent's cache. */
    static final String CLI_ID_RESOURCE = 'io/whalekeeper/whalekeeper-cli.sha256'

    /** The option WHALEKEEPER_SOURCE=registry: a published version (package.json's) and its integrity hash. */
    static final String VERSION_RESOURCE = 'io/whalekeeper/version.txt'
    static final String INTEGRITY_RESOURCE = 'io/whalekeeper/integrity.txt'

    /** Set by dockerInside for its body: the image the steps run in (the CLI is then resolved in the container). */
    static final String INSIDE = 'WHALEKEEPER_INSIDE'

    /** What the resolver prints when the cache has no working CLI of this revision. */
    static final String NEED_CLI = 'NEED_CLI'

    /**
     * The resolved CLI per build and place ("BUILD_TAG NODE_NAME PATH [container]" -> path): resolved once per place,
     * not per step call. A place is a node with its PATH (a nodejs { } block changes it), or a dockerInside container.
     */
    private static final Map<String, String> RESOLVED = [:]

    private final Steps wk
    private final Object script

    /** `wk` is the step's helper (its env, fail and onNode); `script` the calling step's `this`. */
    Resolver(Steps wk, Object script) {
        this.wk = wk
        this.script = script
    }

    /**
     * The CLI to run, resolved once per place per build: a Unix agent (isUnix), then WHALEKEEPER_BIN when set (checked
     * as it is run), else Node >= 20.19 on PATH and the CLI of this library's own revision, unpacked once per agent from the
     * library's resources into the agent's cache (and used from there only when it runs).
     */
    @SuppressWarnings('UnnecessarySubstring') // substring is on the sandbox's whitelist; a String subscript is a GDK call
    String locate() {
        String inside = wk.env(INSIDE)
        String key = [wk.env('BUILD_TAG') ?: wk.buildId() ?: '', wk.env('NODE_NAME') ?: 'built-in', wk.env('PATH') ?: '',
                      inside ? wk.env('WHALEKEEPER_SCOPE') ?: '' : ''].join(' ')
        String known = RESOLVED.get(key)
        if (known) {
            return known
        }
        String bin = ''
        wk.onNode {
            if (!script.isUnix()) {
                wk.fail('runs on Unix agents only (it calls the whalekeeper CLI through sh); this agent is Windows. ' +
                    'Run the stage on a Linux agent, e.g. agent { label \'docker\' }')
            }
            String resolver = script.libraryResource(RESOLVE_RESOURCE)
            String id = script.libraryResource(CLI_ID_RESOURCE).toString().trim()
            List<String> vars = ['WK_CLI_ID=' + id]
            if (wk.env('WHALEKEEPER_SOURCE') == 'registry' && !wk.env('WHALEKEEPER_BIN')) {
                vars += registryPin()
            }
            String first = resolve(resolver, vars)
            if (first == NEED_CLI) {
                // Only on an agent without this revision's CLI: the bundle crosses to the agent once.
                String tarball = '.whalekeeper-cli-' + id.substring(0, 16) + '.tgz'
                script.writeFile(file: tarball, encoding: 'Base64',
                    text: script.libraryResource(resource: CLI_RESOURCE, encoding: 'Base64'))
                first = resolve(resolver, ['WK_CLI_ID=' + id, 'WK_CLI_TARBALL=' + tarball])
            }
            // WHALEKEEPER_BIN is used as it is (the resolver checked that it runs): a path is never re-read from output.
            bin = wk.env('WHALEKEEPER_BIN') ?: first
        }
        if (!bin || bin == NEED_CLI) {
            wk.fail('the whalekeeper resolver printed no path; set WHALEKEEPER_BIN to an installed whalekeeper')
        }
        RESOLVED.put(key, bin)
        return bin
    }

    /**
     * WHALEKEEPER_SOURCE=registry: the published version to install with npm, pinned by the integrity hash this
     * revision keeps in its resources; fails when it keeps none (nothing published for it).
     */
    List<String> registryPin() {
        String version = script.libraryResource(VERSION_RESOURCE).toString().trim()
        String integrity = script.libraryResource(INTEGRITY_RESOURCE).toString().trim()
        if (!integrity) {
            wk.fail("WHALEKEEPER_SOURCE=registry: this revision of the library pins no published whalekeeper@${version} " +
                '(resources/io/whalekeeper/integrity.txt is empty); unset WHALEKEEPER_SOURCE to use the CLI the ' +
                'library brings, or set WHALEKEEPER_BIN')
        }
        return ['WK_NPM_VERSION=' + version, 'WK_NPM_INTEGRITY=' + integrity]
    }

    /**
     * Runs the resolver with `vars`; its last line (the path, or NEED_CLI), or the step fails naming the cause. Not
     * private, as registryPin: locate calls them from a closure, and CPS closures cannot call private methods.
     */
    String resolve(String resolver, List<String> vars) {
        String output = ''
        try {
            script.withEnv(vars) {
                output = script.sh(script: resolver, returnStdout: true).toString()
            }
        } catch (Exception e) {
            if (Steps.isMissingNode(e)) {
                throw e
            }
            wk.fail(resolveProblem() + ' [' + e.message + ']')
        }
        return Commands.lastLine(output)
    }

    /** Why the resolver found no CLI, and what to do, for where it ran (the agent, or a dockerInside container). */
    String resolveProblem() {
        String bin = wk.env('WHALEKEEPER_BIN')
        String image = wk.env(INSIDE)
        if (image) {
            return "could not find the whalekeeper CLI inside the dockerInside container of ${image} (the reason is in " +
                'the lines above): ' + (bin ? "WHALEKEEPER_BIN=${bin} must be an executable in the container that " +
                'answers --version (mount it, e.g. args: [\'-v\', \'/opt/whalekeeper:/opt/whalekeeper:ro\'])' :
                'the image needs Node.js 20.19 or later on PATH, or mount an installed whalekeeper and set ' +
                'WHALEKEEPER_BIN to its path in the container')
        }
        return 'could not find the whalekeeper CLI on this agent (the reason is in the lines above: ' + (bin ?
            "WHALEKEEPER_BIN=${bin} must be an executable that answers --version" :
            'Node.js 20.19 or later must be on PATH, or set WHALEKEEPER_BIN to an installed whalekeeper') + ')'
    }
}
