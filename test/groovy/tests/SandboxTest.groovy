package io.whalekeeper.test

import org.junit.Test

/**
 * The library under the Groovy sandbox (a folder-level or otherwise untrusted library): every JDK/GDK signature it
 * calls, each on script-security's generic-whitelist and none on what it rejects (both lists:
 * test/groovy/fixtures/script-security/, copied from the plugin's public sources, with where from), the forms that
 * resolve to rejected signatures absent from the sources, and every step, help example and example pipeline run in
 * the harness, whose `env` is the EnvActionImpl stand-in (SandboxEnv).
 */
class SandboxTest {

    static final File FIXTURES = new File(PipelineHarness.ROOT, 'test/groovy/fixtures/script-security')

    /** Signatures as script-security names them, with where the library calls them. Pipeline steps and `env`'s own
     *  getProperty/setProperty are whitelisted by their plugins (@Whitelisted) and are not listed. */
    static final Map<String, String> LIBRARY_CALLS = [
        'staticMethod groovy.json.JsonOutput toJson java.lang.String': 'Commands.json: each argv element',
        'method java.lang.CharSequence isEmpty': 'Params.isEmpty',
        'method java.lang.CharSequence length': 'Commands.splitStatus',
        'method java.lang.Class getName': 'Steps.isMissingNode',
        'method java.lang.Class getSimpleName': 'Params.describe, Steps.onNode',
        'method java.lang.Iterable iterator': 'Params.resolve: for (entry in entrySet())',
        'method java.lang.Object getClass': 'Params.describe, Steps.isMissingNode',
        'method java.lang.Object toString': 'GStrings and values handed on as Strings',
        'method java.lang.String contains java.lang.CharSequence': 'dockerBuild image check, Commands.tokenizedArgsProblem',
        'method java.lang.String endsWith java.lang.String': 'Params.resolve (required mark), Commands.splitStatus',
        'method java.lang.String lastIndexOf java.lang.String': 'Commands.splitStatus',
        'method java.lang.String replace java.lang.CharSequence java.lang.CharSequence': 'Commands.buildId',
        'method java.lang.String startsWith java.lang.String': 'Params.firstOptionLike',
        'method java.lang.String substring int': 'Commands.splitStatus',
        'method java.lang.String substring int int': 'Commands.splitStatus, Steps.locate',
        'method java.lang.String trim': 'Commands.lastLine, Steps.locate',
        'staticMethod java.lang.String valueOf java.lang.Object': 'Params.resolve: unknown keys',
        'method java.lang.Throwable getMessage': 'Steps.isMissingNode, Steps.resolve',
        'method java.util.Collection isEmpty': 'Params.isEmpty',
        'method java.util.Collection size': 'Params.resolve, Commands.verifyProblem',
        'method java.util.Map containsKey java.lang.Object': 'Params.resolve',
        'method java.util.Map entrySet': 'Params.resolve',
        'method java.util.Map get java.lang.Object': 'map.key on the config Maps, Steps.locate',
        'method java.util.Map keySet': 'Params.resolve, Params.headerProblem',
        'method java.util.Map put java.lang.Object java.lang.Object': 'Steps.locate',
        'method java.util.Map$Entry getKey': 'Params.resolve',
        'method java.util.Map$Entry getValue': 'Params.resolve',
        'staticMethod java.util.UUID randomUUID': 'Steps.newScope, Steps.withRegistry',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods any java.lang.Iterable groovy.lang.Closure': 'Params.firstOptionLike',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods asBoolean java.lang.CharSequence': 'if (string) …',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods collect java.util.Collection groovy.lang.Closure': 'Commands.json',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods each java.util.List groovy.lang.Closure': 'Commands.cleanAgent, dockerInside',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods each java.util.Map groovy.lang.Closure': 'Commands.build, Params.resolve',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods every java.lang.Iterable groovy.lang.Closure': 'Params.strings',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods every java.util.Map groovy.lang.Closure': 'Params.stringMap',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods find java.util.Collection groovy.lang.Closure': 'Params.firstOptionLike',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods find java.util.Map groovy.lang.Closure': 'Params.resolve',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods findAll java.util.List groovy.lang.Closure': 'Commands.lastLine',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods findAll java.util.Set groovy.lang.Closure': 'Params.resolve',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods findIndexOf java.lang.Object groovy.lang.Closure': 'Params.describe',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods getAt java.lang.String groovy.lang.IntRange': 'Params.typeOf',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods getAt java.lang.String int': 'Params.article',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods getAt java.util.List int': 'Commands.lastLine, dockerBuild',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods getAt java.util.Map java.lang.Object': 'c[key] in Commands.verify',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods isCase java.util.Collection java.lang.Object': '`in` lists',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods join java.lang.Iterable java.lang.String': 'Commands.json, Params.resolve',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods leftShift java.util.List java.lang.Object': 'Commands.cleanAgent',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods plus java.lang.String java.lang.Object': 'String concatenation',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods plus java.util.List java.util.Collection': 'argv lists',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods plus java.util.Map java.util.Map': 'withDockerCleanup',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods putAt java.util.Map java.lang.Object java.lang.Object': 'Params.resolve',
        'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods tokenize java.lang.String java.lang.String': 'dockerBuild',
        'staticMethod org.codehaus.groovy.runtime.ScriptBytecodeAdapter compareEqual java.lang.Object java.lang.Object': '==',
        'staticMethod org.codehaus.groovy.runtime.ScriptBytecodeAdapter compareGreaterThan java.lang.Object java.lang.Object': '>',
        'staticMethod org.codehaus.groovy.runtime.ScriptBytecodeAdapter compareLessThan java.lang.Object java.lang.Object': '<',
        'staticMethod org.codehaus.groovy.runtime.ScriptBytecodeAdapter compareNotEqual java.lang.Object java.lang.Object': '!=',
        'staticMethod org.codehaus.groovy.runtime.ScriptBytecodeAdapter isCase java.lang.Object java.lang.Object': 'switch',
        'staticMethod org.codehaus.groovy.runtime.ScriptBytecodeAdapter matchRegex java.lang.Object java.lang.Object': '==~',
        'staticMethod org.codehaus.groovy.runtime.StringGroovyMethods isInteger java.lang.String': 'Commands.splitStatus',
        'staticMethod org.codehaus.groovy.runtime.StringGroovyMethods readLines java.lang.String': 'Commands.lastLine',
        'staticMethod org.codehaus.groovy.runtime.StringGroovyMethods toInteger java.lang.String': 'Commands.splitStatus',
    ]

    static Set<String> signatures(String file) {
        return new File(FIXTURES, file).readLines().findAll { it && !it.startsWith('#') } as Set
    }

    /** The library's Groovy sources, comments dropped. */
    static Map<String, String> sources() {
        List<File> files = new File(PipelineHarness.ROOT, 'vars').listFiles().findAll { it.name.endsWith('.groovy') } +
            new File(PipelineHarness.ROOT, 'src/io/whalekeeper').listFiles().findAll { it.name.endsWith('.groovy') }
        return files.collectEntries { File f ->
            [(f.name): f.text.replaceAll(/(?s)\/\*.*?\*\//, '').replaceAll(/(?m)\/\/.*$/, '')]
        }
    }

    @Test
    void 'every signature the library calls is on generic-whitelist and none is rejected'() {
        Set<String> whitelist = signatures('generic-whitelist.excerpt')
        Set<String> rejected = signatures('rejected.excerpt')
        LIBRARY_CALLS.each { String signature, String where ->
            assert whitelist.contains(signature): "${signature} (${where}) is not on generic-whitelist"
            assert !rejected.contains(signature)
        }
        // and the excerpt keeps only what the library calls
        assert whitelist == LIBRARY_CALLS.keySet()
    }

    @Test
    void 'no source uses a form that resolves to a rejected signature'() {
        sources().each { String name, String text ->
            assert !(text =~ /env\s*\[/): "${name}: env[name] is DefaultGroovyMethods.getAt(Object, String); use env.getProperty(name)"
            assert !(text =~ /env\.getEnvironment|System\.getenv|\.execute\(|new File\(|\.metaClass|invokeMethod/): name
            // toJson only ever of a String (toJson(Object), a List or a Map argument, is rejected)
            assert !(text =~ /toJson\((?!arg\.toString\(\)\))/): "${name}: toJson of something else than a String"
            assert text.count('toJson(') == (name == 'Commands.groovy' ? 1 : 0)
            // String helpers of the GDK that generic-whitelist does not list for Groovy 2.4's StringGroovyMethods
            assert !(text =~ /\.(take|drop|takeWhile|padLeft|center)\(/): name
        }
    }

    @Test
    void 'env behaves as EnvActionImpl: properties and getProperty, while env of a name in brackets fails as the sandbox fails it'() {
        PipelineHarness h = new PipelineHarness()
        Object env = h.binding.getVariable('env')
        assert env.BUILD_NUMBER == '42' && env.getProperty('JOB_NAME') == 'app' && env.NOPE == null
        env.APP_IMAGE = 'app:42'
        assert h.env.APP_IMAGE == 'app:42'
        try {
            env['BUILD_NUMBER']
            assert false
        } catch (SecurityException e) {
            assert e.message == 'Scripts not permitted to use staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods ' +
                'getAt java.lang.Object java.lang.String'
        }
        // a trusted library may (the stand-in rejects only what the sandbox rejects)
        h.sandboxEnv.setSandbox(false)
        assert env['BUILD_NUMBER'] == '42'
        // and inside withEnv it reads the overlay, an empty value unsetting, as EnvActionImpl reads the context's EnvVars
        h.sandboxEnv.setSandbox(true)
        h.binding.getVariable('withEnv').call(['X=1', 'BUILD_NUMBER=']) { assert env.X == '1' && env.BUILD_NUMBER == null }
    }

    @Test
    void 'every example of every step help runs in the sandboxed harness'() {
        int examples = 0
        new File(PipelineHarness.ROOT, 'vars').listFiles().findAll { it.name.endsWith('.txt') }.each { File help ->
            (help.text =~ /(?s)<pre>(.*?)<\/pre>/).each { List match ->
                PipelineHarness h = new PipelineHarness()
                h.credentials['registry-creds'] = [username: 'u', password: 'p']
                h.credentials['diag-token'] = [secret: 's']
                h.shResult = { Map call -> call.returnStdout ? '1.0\n0\n' : 0 }
                h.binding.setVariable('image', 'base:42')
                String example = match[1].toString().replace('&lt;', '<').replace('&gt;', '>').replace('&amp;', '&')
                // a post section runs as the pipeline's, after (here no) stages
                h.runPipeline(example.startsWith('post') ? "pipeline {\nstages { }\n${example}\n}" : example, help.name)
                assert h.callsOf('error').empty: "${help.name}: ${h.callsOf('error')*.args}"
                assert !h.callsOf('sh').empty
                examples++
            }
        }
        // every <pre> of every help ran (each help has at least one: HelpTest)
        assert examples == new File(PipelineHarness.ROOT, 'vars').listFiles().findAll { it.name.endsWith('.txt') }
            .sum { File help -> help.text.count('<pre>') }
    }
}
