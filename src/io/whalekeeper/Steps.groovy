package io.whalekeeper

import com.cloudbees.groovy.cps.NonCPS

/**
 * What every step of the library shares: parameter checks, finding (or installing) the CLI, and calling it.
 * The only script ever handed to `sh` for the CLI is CLI_SCRIPT, a constant; values travel through `withEnv`.
 */
class Steps implements Serializable {

    private static final long serialVersionUID = 1L

    /** The one script that calls the CLI: the program and its argv come from the environment, never from the text. */
    static final String CLI_SCRIPT = '"$WK_BIN" --argv-env WK_ARGV'

    /** The CLI version this library was released with (a test keeps it equal to package.json's). */
    static final String VERSION_RESOURCE = 'io/whalekeeper/version.txt'

    /** Installs that version once per agent and prints the path of its binary (a constant script). */
    static final String INSTALL_RESOURCE = 'io/whalekeeper/install.sh'

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

    /** A value of the build's environment (env.NAME), or null. */
    String env(String name) {
        Object value = script.env[name]
        return value ? value.toString() : null
    }

    /** Runs `whalekeeper ARGV...` on the current node and returns its exit status. */
    int cli(List<String> argv) {
        String bin = locate()
        int status = 0
        onNode {
            script.withEnv(['WK_BIN=' + bin, 'WK_ARGV=' + Commands.json(argv)]) {
                status = script.sh(script: CLI_SCRIPT, returnStatus: true) as int
            }
        }
        return status
    }

    /** Runs the CLI and, unless `returnStatus`, fails the step on a non-zero exit, saying what `what` is. */
    int cliChecked(List<String> argv, boolean returnStatus, String what) {
        int status = cli(argv)
        if (status != 0 && !returnStatus) {
            fail("`whalekeeper ${argv[0]}` exited with ${status}: ${what} (see its output above)")
        }
        return status
    }

    /** Runs the CLI for a clean-up: a non-zero exit is reported and the build goes on, unless `failOnError`. */
    int cliTolerant(List<String> argv, boolean failOnError) {
        int status = cli(argv)
        if (status != 0 && failOnError) {
            fail("`whalekeeper ${argv[0]}` exited with ${status} (see its output above)")
        } else if (status != 0) {
            script.echo("${step}: `whalekeeper ${argv[0]}` exited with ${status}; the build goes on (failOnError: true fails it)")
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
     * The CLI to run: WHALEKEEPER_BIN when set, else the pinned version installed once per agent by the constant
     * install script (values through withEnv, output = the path). Without node or npm that script fails saying so.
     */
    String locate() {
        String configured = env('WHALEKEEPER_BIN')
        if (configured) {
            return configured
        }
        String version = script.libraryResource(VERSION_RESOURCE).toString().trim()
        String installer = script.libraryResource(INSTALL_RESOURCE)
        String output = ''
        onNode {
            script.withEnv(['WK_VERSION=' + version]) {
                output = script.sh(script: installer, returnStdout: true).toString()
            }
        }
        String bin = Commands.lastLine(output)
        if (!bin) {
            fail('the whalekeeper install script printed no path; set WHALEKEEPER_BIN to an installed whalekeeper')
        }
        return bin
    }

    /** True for what Jenkins throws when a step that needs a workspace runs outside `node`. */
    @NonCPS
    static boolean isMissingNode(Throwable e) {
        return e.getClass().name.endsWith('.MissingContextVariableException') ||
            (e.message ?: '').contains('Required context class hudson.FilePath is missing')
    }
}
