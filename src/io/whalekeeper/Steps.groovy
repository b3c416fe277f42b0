package io.whalekeeper

import com.cloudbees.groovy.cps.NonCPS

/**
 * What every step of the library shares: parameter checks, finding the CLI (once per node per build), and calling it.
 * The only scripts ever handed to `sh` are the constants below and the resolver resource; values travel through
 * `withEnv`. Sandbox-safe: only calls Script Security's lists allow (the Groovy suite's sandbox checker judges each;
 * test/groovy/fixtures/script-security/library-signatures.txt records them), `env` read as properties, never by
 * subscript (`getAt`, which the sandbox rejects).
 */
class Steps implements Serializable {

    private static final long serialVersionUID = 1L

    /** The one script that calls the CLI: the program and its argv come from the environment, never from the text. */
    static final String CLI_SCRIPT = '"$WK_BIN" --argv-env WK_ARGV'

    /**
     * The CLI with its standard output as the step's value: the output, then a line holding the exit status (a newline
     * is printed before it, so the output is exactly what precedes the last "\n<status>\n").
     */
    static final String CLI_STDOUT_SCRIPT = 'wk=0; "$WK_BIN" --argv-env WK_ARGV || wk=$?; printf \'\\n%s\\n\' "$wk"'

    /**
     * Logs in to a registry into the build-private DOCKER_CONFIG: the password goes through a here-document on
     * standard input (`sh -x` traces no here-document body, and it is never an argument).
     */
    static final String LOGIN_SCRIPT = '''mkdir -p "$DOCKER_CONFIG" && chmod 700 "$DOCKER_CONFIG"
docker login --username "$WK_REGISTRY_USER" --password-stdin ${WK_REGISTRY:+"$WK_REGISTRY"} <<WK_EOF
$WK_REGISTRY_PASSWORD
WK_EOF'''

    /** Pushes one image (its name in the environment). */
    static final String PUSH_SCRIPT = 'docker push "$WK_IMAGE"'

    /** Removes the build-private DOCKER_CONFIG (the stored credentials with it). */
    static final String LOGOUT_SCRIPT = 'rm -rf "$DOCKER_CONFIG"'

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

    private final Object script
    private final String step

    /** `script` is the calling step's `this` (its steps and `env`); `step` names it in every error. */
    Steps(Object script, String step) {
        this.script = script
        this.step = step
    }

    /** The validated parameters, or the step fails with `error('<step>: …')`. */
    Map configure(Map config, Map<String, List> keys) {
        Map resolved = Params.resolve(step, config, keys)
        if (resolved.error) {
            script.error(resolved.error)
        }
        return resolved.values
    }

    /** Fails the step with `error('<step>: <message>')`. */
    void fail(String message) {
        script.error(step + ': ' + message)
    }

    /** Fails when a value of one of `keys` would read as an option (starts with '-'): it must be an operand. */
    void requireOperands(Map c, List<String> keys) {
        String key = Params.firstOptionLike(c, keys)
        if (key) {
            fail("${key} must not start with '-' (it is an operand, not an option)")
        }
    }

    /** A value of the build's environment, or null: `env.getProperty(name)`, never the subscript the sandbox rejects. */
    String env(String name) {
        Object value = script.env.getProperty(name)
        return value ? value.toString() : null
    }

    /** The build identity the CLI labels with (its own rule: WHALEKEEPER_BUILD, BUILD_TAG, JOB_NAME and BUILD_NUMBER). */
    String buildId() {
        return Commands.buildId(env('WHALEKEEPER_BUILD'), env('BUILD_TAG'), env('JOB_NAME'), env('BUILD_NUMBER'))
    }

    /** A new scope: one block of this build, unique among its parallel branches. */
    String newScope() {
        return step + '-' + UUID.randomUUID().toString()
    }

    /** Runs `whalekeeper ARGV...` on the current node and returns its exit status. */
    int cli(List<String> argv, List<String> extraEnv = []) {
        String bin = locate()
        int status = 0
        onNode {
            script.withEnv(['WK_BIN=' + bin, 'WK_ARGV=' + Commands.json(argv)] + extraEnv) {
                status = script.sh(script: CLI_SCRIPT, returnStatus: true) as int
            }
        }
        return status
    }

    /** Runs the CLI and returns [status:, stdout:]: its standard output as a value, its standard error in the log. */
    Map cliStdout(List<String> argv) {
        String bin = locate()
        String output = ''
        onNode {
            script.withEnv(['WK_BIN=' + bin, 'WK_ARGV=' + Commands.json(argv)]) {
                output = script.sh(script: CLI_STDOUT_SCRIPT, returnStdout: true).toString()
            }
        }
        return Commands.splitStatus(output)
    }

    /** Runs the CLI and, unless `returnStatus`, fails the step on a non-zero exit, saying what `what` is. */
    int cliChecked(List<String> argv, boolean returnStatus, String what) {
        int status = cli(argv)
        if (status != 0 && !returnStatus) {
            fail("`whalekeeper ${argv[0]}` exited with ${status}: ${what} (see its output above)")
        }
        return status
    }

    /**
     * Runs the CLI for a clean-up: a non-zero exit is reported with its reason (an engine out of reach or refusing
     * whalekeeper's API version is said in words) and the build goes on, unless `failOnError`.
     */
    int cliTolerant(List<String> argv, boolean failOnError, List<String> extraEnv = []) {
        int status = cli(argv, extraEnv)
        String command = Commands.commandOf(argv)
        String reason = Commands.cleanExitReason(status)
        String why = reason ? ': ' + reason : ''
        if (status != 0 && failOnError) {
            fail("`whalekeeper ${command}` exited with ${status}${why} (see its output above)")
        } else if (status != 0) {
            script.echo("${step}: `whalekeeper ${command}` exited with ${status}${why}; the build goes on " +
                '(failOnError: true fails it)')
        }
        return status
    }

    /**
     * Fails unless every header maps a header name to the NAME of an environment variable: the secret stays in the
     * environment (withCredentials) and never becomes an argument.
     */
    void requireHeaderVariables(Map<String, String> headers) {
        String problem = Params.headerProblem(headers)
        if (problem) {
            fail(problem)
        }
    }

    /**
     * Runs `body` logged in to a registry when `credentialsId` is set (else just runs it): username and password
     * from `withCredentials`, `docker login --password-stdin` into a DOCKER_CONFIG of this call alone (under the
     * workspace's temporary directory), removed afterwards whatever happened. The password is never an argument,
     * never in a withEnv list and never traced.
     */
    Object withRegistry(String credentialsId, String registry, Closure body) {
        if (!credentialsId) {
            return body()
        }
        String config = ''
        onNode {
            config = script.pwd(tmp: true).toString() + '/whalekeeper-docker-config-' + UUID.randomUUID().toString()
        }
        Object result = null
        script.withCredentials([script.usernamePassword(credentialsId: credentialsId,
            usernameVariable: 'WK_REGISTRY_USER', passwordVariable: 'WK_REGISTRY_PASSWORD')]) {
            script.withEnv(['DOCKER_CONFIG=' + config, 'WK_REGISTRY=' + (registry ?: '')]) {
                try {
                    int status = script.sh(script: LOGIN_SCRIPT, returnStatus: true) as int
                    if (status != 0) {
                        fail("docker login to ${registry ?: 'Docker Hub'} with credentialsId ${credentialsId} " +
                            "exited with ${status} (see its output above)")
                    }
                    result = body()
                } finally {
                    script.sh(script: LOGOUT_SCRIPT)
                }
            }
        }
        return result
    }

    /**
     * Fails unless `credentialsId` is a Jenkins credentials ID (letters, digits, '_', '.', '-': what the Credentials
     * plugin accepts) and `registry` a registry host[:port][/path], and registry comes with credentialsId.
     */
    void requireRegistry(Map c) {
        if (c.credentialsId && !(c.credentialsId ==~ /[A-Za-z0-9_.-]+/)) {
            fail('credentialsId must be the ID of a Jenkins credential (letters, digits, _ . -)')
        }
        if (c.registry && !(c.registry ==~ /[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]+)?(\/[A-Za-z0-9._\/-]*)?/)) {
            fail('registry must be a registry host, host:port or host/path, e.g. registry.example.com:5000')
        }
        if (c.registry && !c.credentialsId) {
            fail('registry needs credentialsId (it is where those credentials log in)')
        }
    }

    /** Pushes `image` (name:tag) with the docker client; fails the step when the push fails. */
    void push(String image) {
        int status = 0
        onNode {
            script.withEnv(['WK_IMAGE=' + image]) {
                status = script.sh(script: PUSH_SCRIPT, returnStatus: true) as int
            }
        }
        if (status != 0) {
            fail("`docker push` exited with ${status} (see its output above)")
        }
    }

    /**
     * Runs `body` inside a container of `image` through Docker Pipeline's withDockerContainer (the plugin runs the
     * container with the workspace mounted and wraps each `sh` of the body in `docker exec`); fails naming the plugin
     * when it is not installed.
     */
    Object insideContainer(String image, String args, Closure body) {
        try {
            return script.withDockerContainer(image: image, args: args) {
                body()
            }
        } catch (NoSuchMethodError e) {
            if ((e.message ?: '').contains("No such DSL method 'withDockerContainer'")) {
                fail('needs the Docker Pipeline plugin (docker-workflow), whose withDockerContainer step runs the ' +
                    'body inside the container; install it, or use dockerRun for a single command')
            }
            throw e
        }
    }

    /** Runs `body`; when Jenkins says there is no node for a step in it, fails saying where to call the step. */
    Object onNode(Closure body) {
        try {
            return body()
        } catch (Exception e) {
            if (isMissingNode(e)) {
                fail('needs a node to run on: call it inside node { … }, or in a stage or post section of a pipeline ' +
                    "with an agent (a top-level post under `agent none` has none) [${e.getClass().simpleName}]")
            }
            throw e
        }
    }

    /**
     * The CLI to run, resolved once per node per build: a Unix agent (isUnix), Node >= 20.19 on PATH, then
     * WHALEKEEPER_BIN when set, else the CLI of this library's own revision, unpacked once per agent from the
     * library's resources into the agent's cache (and used from there only when it runs).
     */
    @SuppressWarnings('UnnecessarySubstring') // substring is on the sandbox's whitelist; a String subscript is a GDK call
    String locate() {
        String inside = env(INSIDE)
        String key = [env('BUILD_TAG') ?: buildId() ?: '', env('NODE_NAME') ?: 'built-in', env('PATH') ?: '',
                      inside ? env('WHALEKEEPER_SCOPE') ?: '' : ''].join(' ')
        String known = RESOLVED.get(key)
        if (known) {
            return known
        }
        String bin = ''
        onNode {
            if (!script.isUnix()) {
                fail('runs on Unix agents only (it calls the whalekeeper CLI through sh); this agent is Windows. ' +
                    'Run the stage on a Linux agent, e.g. agent { label \'docker\' }')
            }
            String resolver = script.libraryResource(RESOLVE_RESOURCE)
            String id = script.libraryResource(CLI_ID_RESOURCE).toString().trim()
            List<String> vars = ['WK_CLI_ID=' + id]
            if (env('WHALEKEEPER_SOURCE') == 'registry' && !env('WHALEKEEPER_BIN')) {
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
            bin = env('WHALEKEEPER_BIN') ?: first
        }
        if (!bin || bin == NEED_CLI) {
            fail('the whalekeeper resolver printed no path; set WHALEKEEPER_BIN to an installed whalekeeper')
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
            fail("WHALEKEEPER_SOURCE=registry: this revision of the library pins no published whalekeeper@${version} " +
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
            if (isMissingNode(e)) {
                throw e
            }
            fail(resolveProblem() + ' [' + e.message + ']')
        }
        return Commands.lastLine(output)
    }

    /** Why the resolver found no CLI, and what to do, for where it ran (the agent, or a dockerInside container). */
    String resolveProblem() {
        String bin = env('WHALEKEEPER_BIN')
        String image = env(INSIDE)
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

    /**
     * A block's clean-up (withDockerCleanup, dockerInside), run in `finally`: its failure, finding the CLI included,
     * fails the step only with failOnError after a body that succeeded; otherwise it is reported and the body's own
     * result or error stands. An abort during the clean-up of a body that succeeded still aborts.
     */
    int cleanup(List<String> argv, boolean failOnError, boolean bodyFailed, List<String> extraEnv = []) {
        try {
            return cliTolerant(argv, failOnError && !bodyFailed, extraEnv)
        } catch (Exception e) {
            if ((failOnError && !bodyFailed) || (!bodyFailed && isInterruption(e))) {
                throw e
            }
            String then = bodyFailed ? '; the block\'s own error follows' : '; the build goes on'
            script.echo("${step}: the clean-up (`whalekeeper ${Commands.commandOf(argv)}`) could not run: " +
                (e.message ?: e.getClass().simpleName) + then)
            return -1
        }
    }

    /** True for an abort (Jenkins' FlowInterruptedException). */
    @NonCPS
    static boolean isInterruption(Throwable e) {
        return e.getClass().name.endsWith('.FlowInterruptedException')
    }

    /** True for what Jenkins throws when a step that needs a workspace runs outside `node`. */
    @NonCPS
    static boolean isMissingNode(Throwable e) {
        return e.getClass().name.endsWith('.MissingContextVariableException') ||
            (e.message ?: '').contains('Required context class hudson.FilePath is missing')
    }
}
