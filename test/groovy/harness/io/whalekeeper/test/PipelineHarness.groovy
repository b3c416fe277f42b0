package io.whalekeeper.test

import io.whalekeeper.sandbox.SandboxCustomizer
import org.codehaus.groovy.control.CompilerConfiguration

import java.util.concurrent.locks.ReentrantLock

/**
 * Runs the library's steps outside Jenkins: a Binding of closures stands in for the pipeline steps (a script's
 * missing method falls back to a closure of that name in its binding), and every call is recorded in order.
 *
 * Sandbox: the library's code (vars/ and src/) is compiled with the sandbox checker (io.whalekeeper.sandbox), which
 * judges each call by Script Security's lists; `env` is a stand-in for Jenkins' EnvActionImpl (SandboxEnv). Each harness
 * is one build: the library's classes start with empty statics, as Jenkins loads a library's classes for each build.
 *
 * `parallel` runs the branches' bodies on threads, interleaved as CPS interleaves them: one branch runs at a time
 * (a fair baton), and a branch gives the baton up at every step call and while its `sh` runs.
 *
 * Two ways to run `sh`: recorded (default; `shResult` answers) or live (`live(...)`: the script really runs in
 * /bin/sh -xe, as Jenkins runs it, with the build's environment, the withEnv overlay and credential bindings; inside
 * the withDockerContainer stand-in, through `docker exec`). Output goes to `log`, as a console log would hold it.
 */
class PipelineHarness {

    /** The repository root (the library as Jenkins checks it out). */
    static final File ROOT = new File(System.getProperty('wk.root', '.')).canonicalFile

    /** The resolver script (resources/io/whalekeeper/install.sh) as libraryResource hands it to `sh`. */
    static final String RESOLVER = new File(ROOT, 'resources/' + io.whalekeeper.Resolver.RESOLVE_RESOURCE).text

    /** Every step called, in order: [step: name, args: what it got, stage: name, branch: name]. */
    final List<Map> calls = Collections.synchronizedList([])

    /** The build's environment as `env.NAME` reads it. */
    final Map<String, String> env = Collections.synchronizedMap([BUILD_NUMBER: '42', JOB_NAME: 'app',
        WHALEKEEPER_BIN: '/opt/whalekeeper/bin/whalekeeper'])

    /**
     * What a recorded `sh` returns for a call ([script:, returnStatus:, returnStdout:, env:]); default: exit 0, with
     * no output (the stdout script's then ends with its status line).
     */
    Closure shResult = { Map call ->
        call.returnStdout ? (call.script == io.whalekeeper.Steps.CLI_STDOUT_SCRIPT ? '\n0\n' : '') : 0
    }

    /**
     * What the resolver answers when recorded (not live): the configured WHALEKEEPER_BIN, else NEED_CLI until the
     * bundle is given (WK_CLI_TARBALL), then a path in a cache.
     */
    Closure resolverResult = { Map call ->
        String bin = call.buildEnv.WHALEKEEPER_BIN
        if (bin) {
            return bin + '\n'
        }
        return call.env.WK_CLI_TARBALL ? '/cache/whalekeeper/cli-' + call.env.WK_CLI_ID + '/whalekeeper.js\n' : 'NEED_CLI\n'
    }

    /** The withDockerContainer stand-in leaves its container behind (as when the agent was lost mid-block). */
    boolean loseContainers = false

    /** What `isUnix()` answers (false: a Windows agent). */
    boolean unix = true

    /** Credentials by id: [username:, password:] for usernamePassword(...), [secret:] for string(...). */
    final Map<String, Map<String, String>> credentials = [:]

    /** Environment values a test imposes over a Jenkinsfile's environment { } block (e.g. URLs of local services). */
    final Map<String, String> overrides = [:]

    /** The agents `nodesByLabel` answers, for the maintenance pipeline. */
    List<String> agents = ['agent-1', 'agent-2']

    /** The console log of a live run: every script's output, and echo lines. */
    final StringBuffer log = new StringBuffer()

    final Binding binding = new Binding()
    final SandboxEnv sandboxEnv

    private final ReentrantLock baton = new ReentrantLock(true)
    private final ThreadLocal<Map> context = new ThreadLocal<Map>() {
        @Override
        protected Map initialValue() {
            return [envStack: [], credentialEnv: [:], stage: null, container: null, branch: null]
        }
    }
    private Closure postBody
    private Throwable stagesFailure
    private boolean live
    private File workspace
    private Map<String, String> baseEnv = [:]

    PipelineHarness() {
        // A new build: the library's statics (the CLI resolved per node) start empty, as with Jenkins' per-build loading.
        io.whalekeeper.Resolver.RESOLVED.clear()
        sandboxEnv = new SandboxEnv(env, { currentEnv() })
        binding.setVariable('env', sandboxEnv)
        binding.setVariable('sh', { Object arg ->
            Map call = arg instanceof Map ? new LinkedHashMap((Map) arg) : [script: arg.toString()]
            call.env = currentEnv()
            call.buildEnv = new LinkedHashMap(env)
            call.credentials = new ArrayList(((Map) context.get().credentialEnv).keySet())
            call.container = context.get().container
            record('sh', call)
            if (live) {
                return runLive(call)
            }
            return call.script == RESOLVER ? resolverResult(call) : shResult(call)
        })
        binding.setVariable('withEnv', { List vars, Closure body ->
            record('withEnv', vars.collect { it.toString() })
            List<List<String>> stack = (List) context.get().envStack
            stack << vars.collect { it.toString() }
            try {
                return body()
            } finally {
                stack.remove(stack.size() - 1)
            }
        })
        binding.setVariable('error', { String message ->
            record('error', message)
            throw new StepError(message)
        })
        binding.setVariable('echo', { Object message ->
            record('echo', message.toString())
            log.append(message.toString()).append('\n')
        })
        binding.setVariable('junit', { Map args -> record('junit', args) })
        binding.setVariable('isUnix', { -> record('isUnix', unix); unix })
        binding.setVariable('pwd', { Map args = [:] ->
            record('pwd', args)
            String ws = workspace?.path ?: '/workspace/app'
            return args.tmp ? ws + '@tmp' : ws
        })
        binding.setVariable('libraryResource', { Object arg ->
            Map args = arg instanceof Map ? (Map) arg : [resource: arg.toString()]
            record('libraryResource', args.resource)
            File file = new File(ROOT, 'resources/' + args.resource)
            // libraryResource(resource:, encoding: 'Base64') returns the bytes Base64-encoded (binary resources).
            return args.encoding == 'Base64' ? file.bytes.encodeBase64().toString() : file.text
        })
        binding.setVariable('writeFile', { Map args ->
            record('writeFile', [file: args.file, encoding: args.encoding, size: args.text.toString().size()])
            if (live) {
                File target = new File(workspace, args.file.toString())
                target.parentFile.mkdirs()
                target.bytes = args.encoding == 'Base64' ? args.text.toString().decodeBase64() : args.text.toString().getBytes('UTF-8')
            }
        })
        credentialSteps()
        dockerWorkflow()
        declarative()
        ['dockerRun', 'dockerBuild', 'withDockerCleanup', 'cleanDockerAgent', 'cleanDockerBuild', 'dockerDiskCheck',
         'verifyDeployment', 'dockerInside'].each { String name -> binding.setVariable(name, { Object[] args -> step(name, args) }) }
    }

    /**
     * The Credentials Binding plugin's withCredentials with usernamePassword: the body's `sh` sees the two variables
     * (bound in the step context, not through withEnv: the recorded withEnv lists never hold them).
     */
    private void credentialSteps() {
        binding.setVariable('usernamePassword', { Map args -> [kind: 'usernamePassword'] + args })
        binding.setVariable('string', { Map args -> [kind: 'string'] + args })
        binding.setVariable('withCredentials', { List bindings, Closure body ->
            record('withCredentials', bindings.collect { Map b -> b.findAll { k, v -> k != 'kind' } })
            Map<String, String> saved = new LinkedHashMap((Map) context.get().credentialEnv)
            bindings.each { Map b ->
                Map<String, String> secret = credentials[b.credentialsId]
                if (secret == null) {
                    throw new StepError("Could not find credentials entry with ID '${b.credentialsId}'")
                }
                if (b.kind == 'string') {
                    context.get().credentialEnv[b.variable] = secret.secret
                } else {
                    context.get().credentialEnv[b.usernameVariable] = secret.username
                    context.get().credentialEnv[b.passwordVariable] = secret.password
                }
            }
            try {
                return body()
            } finally {
                context.get().credentialEnv = saved
            }
        })
    }

    /**
     * Stand-in for Docker Pipeline's withDockerContainer (docker-workflow's WithContainerStep; documented in "Using
     * Docker with Pipeline", jenkins.io/doc/book/pipeline/docker, and the plugin's DockerClient): it runs
     * `docker run -t -d -u UID:GID -w WORKSPACE -v WORKSPACE:WORKSPACE:rw,z -v WORKSPACE@tmp:WORKSPACE@tmp:rw,z
     * ARGS IMAGE cat` (ARGS: its args String split by Jenkins' QuotedStringTokenizer), runs every `sh` of the body
     * through `docker exec` in that container, and at the end `docker stop --time=1` and `docker rm -f` it, also
     * when the body failed or was aborted. Nothing removes it when the agent is lost. Recorded only unless live.
     */
    private void dockerWorkflow() {
        binding.setVariable('withDockerContainer', { Map args, Closure body ->
            record('withDockerContainer', args)
            if (!live) {
                return body()
            }
            String ws = workspace.path
            new File(ws + '@tmp').mkdirs()
            String user = exec(['id', '-u']).trim() + ':' + exec(['id', '-g']).trim()
            List<String> run = ['docker', 'run', '-t', '-d', '-u', user, '-w', ws, '-v', "${ws}:${ws}:rw,z".toString(),
                                '-v', "${ws}@tmp:${ws}@tmp:rw,z".toString()] + tokenize(args.args?.toString() ?: '') + [args.image.toString(), 'cat']
            String id = exec(run).trim()
            context.get().container = id
            try {
                return body()
            } finally {
                context.get().container = null
                if (!loseContainers) {
                    exec(['docker', 'stop', '--time=1', id])
                    exec(['docker', 'rm', '-f', id])
                }
            }
        })
    }

    /** Jenkins' QuotedStringTokenizer as ArgumentListBuilder.addTokenized uses it: whitespace splits, quotes group. */
    static List<String> tokenize(String text) {
        List<String> tokens = []
        StringBuilder token = null
        Character quote = null
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i)
            if (quote != null) {
                if (ch == '\\' && i + 1 < text.length()) {
                    token.append(text.charAt(++i))
                } else if (ch == quote) {
                    quote = null
                } else {
                    token.append(ch)
                }
            } else if (Character.isWhitespace(ch)) {
                if (token != null) {
                    tokens << token.toString()
                    token = null
                }
            } else {
                token = token ?: new StringBuilder()
                if (ch == '"' || ch == '\'') {
                    quote = ch
                } else {
                    token.append(ch)
                }
            }
        }
        if (token != null) {
            tokens << token.toString()
        }
        return tokens
    }

    /**
     * Stand-ins for declarative Pipeline and the scripted steps the examples use: stages run in order, a failing
     * stage stops the others, then post { always { } } runs; `node` sets NODE_NAME for its body.
     */
    private void declarative() {
        binding.setVariable('pipeline', { Closure body ->
            body()
            context.get().stage = 'post'
            if (postBody != null) {
                postBody()
            }
            if (stagesFailure != null) {
                throw stagesFailure
            }
        })
        binding.setVariable('none', 'none')
        binding.setVariable('any', 'any')
        binding.setVariable('agent', { Object... args -> record('agent', args.findAll { !(it instanceof Closure) }) })
        binding.setVariable('options', { Closure body -> record('options', 'options') })
        binding.setVariable('triggers', { Closure body -> body() })
        binding.setVariable('cron', { String spec -> record('cron', spec) })
        binding.setVariable('environment', { Closure body ->
            Map<String, Object> values = [:]
            body.resolveStrategy = Closure.DELEGATE_FIRST
            body.delegate = values
            body()
            values.each { String k, Object v -> env[k] = v.toString() }
            env.putAll(overrides)
        })
        binding.setVariable('stages', { Closure body ->
            try {
                body()
            } catch (Throwable failure) {
                stagesFailure = failure
            }
        })
        binding.setVariable('stage', { String name, Closure body ->
            context.get().stage = name
            record('stage', name)
            body()
        })
        binding.setVariable('steps', { Closure body -> body() })
        binding.setVariable('script', { Closure body -> body() })
        binding.setVariable('post', { Closure body -> postBody = body })
        binding.setVariable('always', { Closure body -> body() })
        binding.setVariable('nodesByLabel', { Map args -> record('nodesByLabel', args); agents })
        binding.setVariable('node', { String label, Closure body ->
            record('node', label)
            List<List<String>> stack = (List) context.get().envStack
            stack << ['NODE_NAME=' + label]
            try {
                return body()
            } finally {
                stack.remove(stack.size() - 1)
            }
        })
        binding.setVariable('parallel', { Map branches -> parallel(branches) })
    }

    /**
     * `parallel`: each branch's body on a thread of its own, with the caller's context (withEnv, credentials, stage);
     * one branch runs at a time (the baton), switching at step calls. Waits for every branch, then throws the first
     * failure, as Jenkins does without failFast.
     */
    private Object parallel(Map branches) {
        record('parallel', branches.keySet().toList())
        Map parent = context.get()
        List<Throwable> failures = Collections.synchronizedList([])
        Map results = Collections.synchronizedMap([:])
        boolean held = baton.isHeldByCurrentThread()
        if (held) {
            baton.unlock()
        }
        List<Thread> threads = branches.collect { String name, Closure body ->
            Thread.start("branch ${name}") {
                context.set([envStack: ((List) parent.envStack).collect { new ArrayList(it) },
                             credentialEnv: new LinkedHashMap((Map) parent.credentialEnv), stage: parent.stage,
                             container: parent.container, branch: name])
                baton.lock()
                try {
                    results[name] = body()
                } catch (Throwable failure) {
                    failures << failure
                } finally {
                    baton.unlock()
                }
            }
        }
        threads*.join()
        if (held) {
            baton.lock()
        }
        if (failures) {
            throw failures[0]
        }
        return results
    }

    /**
     * Live mode: `sh` runs for real in `workspace` with `base` (PATH, HOME, DOCKER_HOST…) under the build's
     * environment, the withEnv overlay and the credential bindings.
     */
    void live(File workspace, Map<String, String> base) {
        this.live = true
        this.workspace = workspace
        this.baseEnv = base
    }

    /** Runs a recorded `sh` call as Jenkins would (`sh -xe` on the script as a file), giving up the baton meanwhile. */
    private Object runLive(Map call) {
        Map<String, String> environment = new LinkedHashMap(baseEnv)
        new LinkedHashMap(env).each { String k, String v -> if (v != null) { environment[k] = v } }
        ((Map<String, String>) call.env).each { String k, String v -> if (v == '') { environment.remove(k) } else { environment[k] = v } }
        environment.putAll((Map) context.get().credentialEnv)
        File tmp = new File(workspace.path + '@tmp')
        tmp.mkdirs()
        File script = File.createTempFile('script', '.sh', tmp)
        script.text = call.script
        List<String> command = ['/bin/sh', '-xe', script.path]
        if (call.container) {
            // Docker Pipeline's launcher: the script runs in the container with the build's environment (not the
            // agent's own PATH, HOME…); variables go by name (-e NAME takes the value from the docker client's
            // environment), so no value is on its command line.
            Set<String> build = new LinkedHashSet<String>(new LinkedHashMap(env).findAll { k, v -> v != null }.keySet())
            List<String> names = (build + ((Map) call.env).keySet() + ((Map) context.get().credentialEnv).keySet()).toList().unique()
            command = ['docker', 'exec', '-w', workspace.path] + names.collectMany { ['-e', it] } + [call.container.toString(), 'sh', '-xe', script.path]
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace)
        builder.environment().clear()
        builder.environment().putAll(environment)
        StringBuffer out = new StringBuffer()
        StringBuffer err = new StringBuffer()
        boolean held = baton.isHeldByCurrentThread()
        if (held) {
            baton.unlock()
        }
        int status
        try {
            Process process = builder.start()
            process.waitForProcessOutput(out, err)
            status = process.waitFor()
        } finally {
            if (held) {
                baton.lock()
            }
            script.delete()
        }
        if (!call.returnStdout) {
            log.append(out)
        }
        log.append(err)
        if (call.returnStatus) {
            return status
        }
        if (status != 0) {
            // What Jenkins' sh throws (hudson.AbortException).
            throw new StepError("script returned exit code ${status}")
        }
        return call.returnStdout ? out.toString() : null
    }

    /** Runs a helper command of a stand-in (docker run/stop/rm); its stdout, or fails with its output. */
    private String exec(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
        builder.environment().clear()
        builder.environment().putAll(baseEnv)
        StringBuffer out = new StringBuffer()
        StringBuffer err = new StringBuffer()
        Process process = builder.start()
        process.waitForProcessOutput(out, err)
        if (process.waitFor() != 0) {
            throw new IllegalStateException("${command.join(' ')}: ${err}")
        }
        return out.toString()
    }

    /** Runs a Jenkinsfile of this repository (its @Library line dropped: the library is already loaded here). */
    void runJenkinsfile(String name) {
        runPipeline(new File(ROOT, name).text, name.replace('.', '_').replace('/', '_'))
    }

    /** Runs a pipeline's text (an @Library line dropped). */
    void runPipeline(String text, String name = 'Jenkinsfile') {
        new GroovyShell(PipelineHarness.classLoader, binding).evaluate(text.replaceAll(/(?m)^@Library\(.*\)\s*_\s*$/, ''), name)
    }

    /** Each vars/ script compiled once per JVM (compiling is what makes a test slow). */
    private static final Map<String, Class<Script>> COMPILED = [:].asSynchronized()

    /**
     * Loads vars/<name>.groovy as Jenkins does: a script named after the step, whose binding holds the steps; compiled
     * with the sandbox checker, as src/ is (run.sh), so each of its calls is judged by the sandbox's lists.
     */
    Script load(String name) {
        Class<Script> type = COMPILED.computeIfAbsent(name) { String n ->
            CompilerConfiguration config = new CompilerConfiguration()
            config.addCompilationCustomizers(new SandboxCustomizer())
            new GroovyShell(PipelineHarness.classLoader, new Binding(), config).parse(new File(ROOT, "vars/${n}.groovy")).getClass()
        }
        return org.codehaus.groovy.runtime.InvokerHelper.createScript(type, binding)
    }

    /** Calls step `name` as a Jenkinsfile would: `name(config)` or `name(config) { body }`. */
    Object step(String name, Object... args) {
        return load(name).invokeMethod('call', args)
    }

    /** The environment the current withEnv blocks add, as NAME -> value (innermost wins). */
    Map<String, String> currentEnv() {
        Map<String, String> result = [:]
        ((List) context.get().envStack).flatten().each { String entry ->
            int eq = entry.indexOf('=')
            result[entry.substring(0, eq)] = entry.substring(eq + 1)
        }
        return result
    }

    /** The recorded calls of one step. */
    List<Map> callsOf(String step) {
        synchronized (calls) {
            return calls.findAll { it.step == step }
        }
    }

    /** The recorded `sh` calls, the resolver's left out (resolverCalls has them). */
    List<Map> shCalls() {
        return callsOf('sh').collect { (Map) it.args }.findAll { it.script != RESOLVER }
    }

    /** The recorded `sh` calls of the resolver (finding the CLI). */
    List<Map> resolverCalls() {
        return callsOf('sh').collect { (Map) it.args }.findAll { it.script == RESOLVER }
    }

    /** The names of the steps called, in order, those that found the CLI left out (resolutionCalls has them). */
    List<String> stepNames() {
        List<Map> resolution = resolutionCalls()
        synchronized (calls) {
            return calls.findAll { !resolution.any { Map r -> r.is(it) } }*.step
        }
    }

    /** The calls that found the CLI: isUnix, libraryResource, writeFile, and the resolver's withEnv and sh. */
    List<Map> resolutionCalls() {
        synchronized (calls) {
            return calls.findAll { Map call ->
                call.step in ['isUnix', 'libraryResource', 'writeFile'] ||
                    (call.step == 'withEnv' && ((List) call.args).any { it.toString().startsWith('WK_CLI_ID=') }) ||
                    (call.step == 'sh' && ((Map) call.args).script == RESOLVER)
            }
        }
    }

    /** The withEnv calls that handed the CLI its binary and argv (the resolver's left out). */
    List<Map> cliWithEnvs() {
        return callsOf('withEnv').findAll { ((List) it.args).any { it.toString().startsWith('WK_ARGV=') } }
    }

    /** The argv (WK_ARGV decoded) of each `sh` that called the CLI. */
    List<List<String>> cliArgvs() {
        return shCalls().findAll { it.script in [io.whalekeeper.Steps.CLI_SCRIPT, io.whalekeeper.Steps.CLI_STDOUT_SCRIPT] }
            .collect { (List<String>) new groovy.json.JsonSlurper().parseText(it.env.WK_ARGV) }
    }

    private void record(String step, Object args) {
        Map ctx = context.get()
        calls << [step: step, args: args, stage: ctx.stage, branch: ctx.branch]
        // A step call is where CPS may switch to another branch.
        if (baton.isHeldByCurrentThread()) {
            baton.unlock()
            baton.lock()
        }
    }

    /** The stage being run in this thread (set by the declarative stand-ins). */
    String getStage() {
        return context.get().stage
    }
}
