package io.whalekeeper.test

/**
 * Runs the library's steps outside Jenkins: a Binding of closures stands in for the pipeline steps (a script's
 * missing method falls back to a closure of that name in its binding), and every call is recorded in order.
 */
class PipelineHarness {

    /** The repository root (the library as Jenkins checks it out). */
    static final File ROOT = new File(System.getProperty('wk.root', '.')).canonicalFile

    /** Every step called, in order: [step: name, args: what it got, env: the withEnv overlay in force, stage: name]. */
    final List<Map> calls = []

    /** The build's environment as `env.NAME` reads it. */
    final Map<String, String> env = [BUILD_NUMBER: '42', JOB_NAME: 'app', WHALEKEEPER_BIN: '/opt/whalekeeper/bin/whalekeeper']

    /** What `sh` returns for a call ([script:, returnStatus:, returnStdout:, env:]); default: exit 0. */
    Closure shResult = { Map call -> call.returnStdout ? '' : 0 }

    /** The stage being run (set by the declarative stand-ins), recorded with each call. */
    String stage

    /** Environment values a test imposes over a Jenkinsfile's environment { } block (e.g. URLs of local services). */
    final Map<String, String> overrides = [:]

    /** The agents `nodesByLabel` answers, for the maintenance pipeline. */
    List<String> agents = ['agent-1', 'agent-2']

    final Binding binding = new Binding()
    private final List<List<String>> envStack = []
    private Closure postBody
    private Throwable stagesFailure

    PipelineHarness() {
        binding.setVariable('env', env)
        binding.setVariable('sh', { Object arg ->
            Map call = arg instanceof Map ? new LinkedHashMap((Map) arg) : [script: arg.toString()]
            call.env = currentEnv()
            call.buildEnv = new LinkedHashMap(env)
            record('sh', call)
            return shResult(call)
        })
        binding.setVariable('withEnv', { List vars, Closure body ->
            record('withEnv', vars.collect { it.toString() })
            envStack << vars.collect { it.toString() }
            try {
                return body()
            } finally {
                envStack.remove(envStack.size() - 1)
            }
        })
        binding.setVariable('error', { String message ->
            record('error', message)
            throw new StepError(message)
        })
        binding.setVariable('echo', { Object message -> record('echo', message.toString()) })
        binding.setVariable('junit', { Map args -> record('junit', args) })
        binding.setVariable('libraryResource', { String path ->
            record('libraryResource', path)
            return new File(ROOT, 'resources/' + path).text
        })
        declarative()
        ['dockerRun', 'dockerBuild', 'withDockerCleanup', 'cleanDockerAgent', 'cleanDockerBuild', 'dockerDiskCheck',
         'verifyDeployment'].each { String name -> binding.setVariable(name, { Object[] args -> step(name, args) }) }
    }

    /**
     * Stand-ins for declarative Pipeline and the scripted steps the examples use: stages run in order, a failing
     * stage stops the others, then post { always { } } runs; `node` and `parallel` run their bodies in sequence.
     */
    private void declarative() {
        binding.setVariable('pipeline', { Closure body ->
            body()
            stage = 'post'
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
            stage = name
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
            body()
        })
        binding.setVariable('parallel', { Map branches ->
            record('parallel', branches.keySet().toList())
            branches.each { String name, Closure body -> body() }
        })
    }

    /** Runs a Jenkinsfile of this repository (its @Library line dropped: the library is already loaded here). */
    void runJenkinsfile(String name) {
        String text = new File(ROOT, name).text.replaceAll(/(?m)^@Library\(.*\)\s*_\s*$/, '')
        new GroovyShell(PipelineHarness.classLoader, binding).evaluate(text, name.replace('.', '_'))
    }

    /** Each vars/ script compiled once per JVM (compiling is what makes a test slow). */
    private static final Map<String, Class<Script>> COMPILED = [:].asSynchronized()

    /** Loads vars/<name>.groovy as Jenkins does: a script named after the step, whose binding holds the steps. */
    Script load(String name) {
        Class<Script> type = COMPILED.computeIfAbsent(name) { String n ->
            new GroovyShell(PipelineHarness.classLoader).parse(new File(ROOT, "vars/${n}.groovy")).getClass()
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
        envStack.flatten().each { String entry ->
            int eq = entry.indexOf('=')
            result[entry.substring(0, eq)] = entry.substring(eq + 1)
        }
        return result
    }

    /** The recorded calls of one step. */
    List<Map> callsOf(String step) {
        return calls.findAll { it.step == step }
    }

    /** The recorded `sh` calls. */
    List<Map> shCalls() {
        return callsOf('sh').collect { (Map) it.args }
    }

    /** The argv (WK_ARGV decoded) of each `sh` that called the CLI. */
    List<List<String>> cliArgvs() {
        return shCalls().findAll { it.script == io.whalekeeper.Steps.CLI_SCRIPT }
            .collect { (List<String>) new groovy.json.JsonSlurper().parseText(it.env.WK_ARGV) }
    }

    private void record(String step, Object args) {
        calls << [step: step, args: args, stage: stage]
    }
}
