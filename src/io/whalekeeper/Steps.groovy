package io.whalekeeper

import com.cloudbees.groovy.cps.NonCPS

/**
 * What every step of the library shares: parameter checks, finding the CLI (Resolver: once per place per build), and calling it.
 * The only scripts ever handed to `sh` are the constants below and the resolver resource (Resolver); values travel through
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

    /** The CLI to run here, resolved once per place per build (Resolver). */
    String locate() {
        return new Resolver(this, script).locate()
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
