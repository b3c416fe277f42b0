package io.whalekeeper

import com.cloudbees.groovy.cps.NonCPS
import groovy.json.JsonOutput

/**
 * The whalekeeper argv of each step, built from its validated parameters. Pure: the values only ever travel as list
 * elements (JSON in WK_ARGV), never inside a shell script.
 */
class Commands implements Serializable {

    private static final long serialVersionUID = 1L

    /** dockerRun: `whalekeeper run [docker run options] IMAGE [COMMAND...]`. */
    @NonCPS
    static List<String> run(Map c) {
        return ['run'] + c.args + [c.image] + c.command
    }

    /** dockerBuild: `whalekeeper build --tag IMAGE:TAG [--file F] [--build-arg K=V...] [options] CONTEXT`. */
    @NonCPS
    static List<String> build(Map c, String tag) {
        List<String> argv = ['build', '--tag', c.image + ':' + tag]
        if (c.file) {
            argv += ['--file', c.file]
        }
        c.buildArgs.each { String name, String value -> argv += ['--build-arg', name + '=' + value] }
        return argv + c.args + [c.context]
    }

    /**
     * cleanDockerBuild: `whalekeeper clean` (everything of this build, by label); withDockerCleanup and dockerInside:
     * `whalekeeper --scope SCOPE clean` (only what their block started).
     */
    @NonCPS
    static List<String> cleanBuild(String scope = null) {
        return scope ? ['--scope', scope, 'clean'] : ['clean']
    }

    /**
     * Docker Pipeline's withDockerContainer takes its docker run options as one String, split by Jenkins'
     * QuotedStringTokenizer (whitespace separates, double quotes group): each value is double-quoted here, so a value
     * holding a space stays one argument. A value holding a double quote, a backslash or a line break is refused
     * (tokenizedArgsProblem) rather than escaped.
     */
    @NonCPS
    static String tokenizedArgs(List<String> args) {
        return args.collect { String arg -> '"' + arg + '"' }.join(' ')
    }

    /** Why `args` cannot travel through tokenizedArgs, without quoting the value; null when they can. */
    @NonCPS
    static String tokenizedArgsProblem(List<String> args) {
        int index = args.findIndexOf { String arg -> ['"', '\\', '\n', '\r'].any { String bad -> arg.contains(bad) } }
        return index < 0 ? null : "args: element ${index} holds a double quote, a backslash or a line break, which " +
            'Docker Pipeline\'s option string cannot carry'
    }

    /** The command of an argv, after the global options (`--scope S clean` -> `clean`). */
    @NonCPS
    static String commandOf(List<String> argv) {
        return argv[0] == '--scope' ? argv[2] : argv[0]
    }

    /** The labels the CLI's `run` puts on a container, for containers a plugin starts (dockerInside). */
    @NonCPS
    static List<String> ownershipLabels(String build, String scope) {
        List<String> labels = ['whalekeeper.managed=true']
        if (build) {
            labels << 'whalekeeper.build=' + build
        }
        return labels + ['whalekeeper.scope=' + scope]
    }

    /**
     * The build identity as the CLI resolves it (src/core/build-identity.ts): WHALEKEEPER_BUILD, BUILD_TAG, else
     * "jenkins-" + JOB_NAME with slashes as dashes + "-" + BUILD_NUMBER; null outside a build.
     */
    @NonCPS
    static String buildId(String explicit, String tag, String job, String number) {
        if (explicit) {
            return explicit
        }
        if (tag) {
            return tag
        }
        return job && number ? 'jenkins-' + job.replace('/', '-') + '-' + number : null
    }

    /**
     * What an exit status of `whalekeeper clean` means when it is about the engine or the CLI itself, in words for the log
     * (the CLI's own line above says more); null for statuses whose meaning depends on the command.
     */
    @NonCPS
    static String cleanExitReason(int status) {
        switch (status) {
            case 3:
                return 'the Docker engine could not be reached, or was lost midway (is DOCKER_HOST right, is the daemon up?)'
            case 4:
                return 'the Docker engine refuses the Engine API version whalekeeper speaks (DOCKER_API_VERSION selects ' +
                    'another; the line above names the versions the engine accepts)'
            case 5:
                return 'the disk could not be measured, so the target could not be held (the warning above says why: ' +
                    'run where the data root is visible, or give a helper image with stat)'
            case 70:
                return 'an internal error of whalekeeper (a bug: please report it with the output above)'
            default:
                return null
        }
    }

    /** [status: int, stdout: String] from CLI_STDOUT_SCRIPT's output: the output, "\n", the status, "\n". */
    @NonCPS
    @SuppressWarnings('UnnecessarySubstring') // substring is on the sandbox's whitelist; a String subscript is a GDK call
    static Map splitStatus(String output) {
        String text = output.endsWith('\n') ? output.substring(0, output.length() - 1) : output
        int cut = text.lastIndexOf('\n')
        String status = text.substring(cut + 1).trim()
        if (cut < 0 || !status.isInteger()) {
            return [status: 70, stdout: output]
        }
        return [status: status.toInteger(), stdout: text.substring(0, cut)]
    }

    /** The values `clean --agent --images` takes. */
    static final List<String> IMAGES = ['dangling', 'unused']

    /** cleanDockerAgent and withDockerCleanup(agent: true): `whalekeeper clean --agent …`. */
    @NonCPS
    static List<String> cleanAgent(Map c) {
        List<String> argv = ['clean', '--agent', '--target', c.target, '--grace', c.grace]
        if (c.images) {
            argv += ['--images', c.images]
        }
        if (c.volumes) {
            argv << '--volumes'
        }
        if (c.buildCache) {
            argv << '--build-cache'
        }
        c.keepImages.each { String pattern -> argv += ['--keep-image', pattern] }
        if (c.dryRun) {
            argv << '--dry-run'
        }
        return argv
    }

    /** dockerDiskCheck: `whalekeeper disk --warn W --fail F [--prometheus FILE]`. */
    @NonCPS
    static List<String> disk(Map c) {
        List<String> argv = ['disk', '--warn', c.warn, '--fail', c.fail]
        if (c.prometheus) {
            argv += ['--prometheus', c.prometheus]
        }
        return argv
    }

    /** verifyDeployment: `whalekeeper verify URL... --timeout T --junit FILE [options]`; headers by variable name only. */
    @NonCPS
    static List<String> verify(Map c) {
        List<String> argv = ['verify'] + c.url + ['--timeout', c.timeout, '--junit', c.junit]
        [expect: '--expect', field: '--field', interval: '--interval', requestTimeout: '--request-timeout', ca: '--ca',
         stable: '--stable', replicas: '--replicas'].each { String key, String flag ->
            if (c[key] != null) {
                argv += [flag, c[key].toString()]
            }
        }
        [allAddresses: '--all-addresses', allowNewer: '--allow-newer', insecure: '--insecure', direct: '--direct',
         followRedirectsCrossHost: '--follow-redirects-cross-host'].each { String key, String flag ->
            if (c[key]) {
                argv << flag
            }
        }
        c.headers.each { String name, String variable -> argv += ['--header-env', name + '=' + variable] }
        return argv
    }

    /**
     * What `whalekeeper verify` would refuse as a usage error (exit 2) in these parameters, or null: the step says it
     * before running anything. Values are never quoted, only key names and counts.
     */
    @NonCPS
    static String verifyProblem(Map c) {
        if (c.insecure && c.ca) {
            return 'insecure and ca exclude each other (ca verifies TLS with that CA; insecure verifies nothing)'
        }
        String small = ['stable', 'replicas'].find { String key -> c[key] != null && c[key] < 1 }
        if (small) {
            return small + ' must be 1 or more'
        }
        if (c.direct && c.allAddresses) {
            return 'direct and allAddresses exclude each other (allAddresses already checks each address directly)'
        }
        // One URL without allAddresses or direct is a load balancer's pool: replicas is then its size, not a minimum.
        boolean pool = c.url.size() == 1 && !c.allAddresses && !c.direct
        if (c.replicas != null && !pool && !c.allAddresses && c.replicas > c.url.size()) {
            return "replicas: ${c.replicas} is more than the ${c.url.size()} url(s) given " +
                '(allAddresses: true counts each address a host name resolves to as a replica)'
        }
        return null
    }

    /**
     * Whether `whalekeeper verify` wrote its JUnit report before exiting with `status`: it does when it verified (0),
     * found another build (1), found no readable build (3) or was interrupted by SIGINT or SIGTERM (130, 143); not on
     * a usage error (2), an internal error (70), when the CLI could not run (126, 127) or was killed (137).
     */
    @NonCPS
    static boolean verifyWroteReport(int status) {
        return status in [0, 1, 3, 130, 143]
    }

    /**
     * The JSON array the CLI reads with `--argv-env` (JSON escapes newlines, so the value is one line). Built from
     * `toJson(String)`: the sandbox rejects `toJson(Object)`, which a List would call.
     */
    @NonCPS
    static String json(List<String> argv) {
        return '[' + argv.collect { Object arg -> JsonOutput.toJson(arg.toString()) }.join(',') + ']'
    }

    /** The last non-empty line of a script's output: where the install script prints the binary's path. */
    @NonCPS
    static String lastLine(String output) {
        List<String> lines = (output ?: '').readLines().findAll { it.trim() }
        return lines ? lines[-1].trim() : ''
    }
}
