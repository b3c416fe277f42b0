package io.whalekeeper.test

import io.whalekeeper.sandbox.Checker
import io.whalekeeper.sandbox.Lists
import io.whalekeeper.sandbox.SandboxCustomizer
import org.codehaus.groovy.control.CompilerConfiguration
import org.jenkinsci.plugins.scriptsecurity.sandbox.RejectedAccessException
import org.junit.Test
import org.junit.runner.RunWith
import org.junit.runners.Parameterized

/**
 * The library under the Groovy sandbox (a folder-level or otherwise untrusted library): its vars/ and src/ are
 * compiled with the sandbox checker (io.whalekeeper.sandbox), which judges every call they make by the lists named in
 * each test's name (Lists.JUDGE). The checker proves it can fail (calls real controllers reject, each rejected with
 * the signature to approve) and that it allows what they allow; then every step runs through it with every key its
 * help documents, and every help example.
 */
@RunWith(Parameterized)
class SandboxTest {

    @Parameterized.Parameters(name = 'judged by {0}')
    static List<Object[]> lists() {
        return [[Lists.JUDGE] as Object[]]
    }

    SandboxTest(String judge) {
        assert judge == Lists.JUDGE
    }

    /** Runs `text` as code of a sandboxed library (compiled with the checker) in a harness: [value:, rejected:]. */
    static Map probe(String text) {
        PipelineHarness h = new PipelineHarness()
        CompilerConfiguration config = new CompilerConfiguration()
        config.addCompilationCustomizers(new SandboxCustomizer(null))
        Script script = new GroovyShell(PipelineHarness.classLoader, h.binding, config).parse(text, 'Probe.groovy')
        Object value = null
        List<RejectedAccessException> rejected = Checker.probe { value = script.run() }
        return [value: value, rejected: rejected]
    }

    @Test
    void 'rejects what real controllers reject, each with the signature an administrator would be asked to approve'() {
        Map<String, String> cases = [
            "env['BUILD_NUMBER']"                           : 'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods getAt java.lang.Object java.lang.String',
            "String name = 'BUILD_NUMBER'; env[name]"      : 'staticMethod org.codehaus.groovy.runtime.DefaultGroovyMethods getAt java.lang.Object java.lang.String',
            "new File('/etc/passwd').text"                  : 'new java.io.File java.lang.String',
            'jenkins.model.Jenkins.instance'                : 'staticMethod jenkins.model.Jenkins getInstance',
            "groovy.json.JsonOutput.toJson(['a', 'b'])"     : 'staticMethod groovy.json.JsonOutput toJson java.lang.Object',
            "env.getClass().getMethod('getProperty', String)": 'method java.lang.Class getMethod java.lang.String java.lang.Class[]',
            "System.getenv('HOME')"                         : 'staticMethod java.lang.System getenv java.lang.String',
        ]
        cases.each { String code, String signature ->
            // given a sandboxed library's line / when it runs
            Map result = probe(code)
            // then it stops at exactly that call, with Script Security's message
            List<RejectedAccessException> rejected = (List) result.rejected
            assert rejected*.signature == [signature]: code
            assert rejected[0].message.startsWith('Scripts not permitted to use ' + signature): code
            if (Lists.WHOLE) {
                // and what the blacklist holds is flagged as never to approve
                assert rejected[0].dangerous == (signature in Lists.BLACKLIST): code
            }
        }
        if (Lists.WHOLE) {
            assert ['new java.io.File java.lang.String', 'staticMethod jenkins.model.Jenkins getInstance',
                    'staticMethod groovy.json.JsonOutput toJson java.lang.Object'].every { it in Lists.BLACKLIST }
        }
    }

    @Test
    void 'allows what real controllers allow: env by property and getProperty, toJson of a Map, plain string handling'() {
        Map<String, Object> cases = [
            "env.getProperty('BUILD_NUMBER')"                                  : '42',
            'env.JOB_NAME'                                                     : 'app',
            "String name = 'JOB_NAME'; env.\"\${name}\""                       : 'app',
            "env.APP = 'x'; env.getProperty('APP')"                            : 'x',
            "groovy.json.JsonOutput.toJson([image: 'app', tag: '42'])"         : '{"image":"app","tag":"42"}',
            "groovy.json.JsonOutput.toJson('a\"b')"                            : '"a\\"b"',
            "' a, b ,c '.tokenize(',')*.trim().join('-').toUpperCase()"       : 'A-B-C',
            "String s = 'registry:5000/app'; s.substring(s.lastIndexOf('/') + 1) + (s.startsWith('registry') ? '!' : '?')": 'app!',
            "String t = 'v'; \"\${t}1\".toString() == 'v1' && 'x' in ['x', 'y'] && 'abc' ==~ /a.c/": true,
            "[b: 2, a: 1].findAll { k, v -> v > 1 }.keySet().toList()"        : ['b'],
        ]
        cases.each { String code, Object expected ->
            // given / when
            Map result = probe(code)
            // then it ran, unrejected, to the same value as unsandboxed Groovy
            if (Lists.WHOLE) {
                assert result.rejected == []: code
                assert result.value == expected: code
            } else {
                // judged by the record alone, which holds only what the library calls: stopped, if at all, by a
                // signature the record does not hold
                assert ((List) result.rejected).every { !Lists.ALLOWED.containsKey(it.signature) }: code
                assert result.rejected || result.value == expected: code
            }
            assert new GroovyShell(new PipelineHarness().binding).evaluate(code) == expected
        }
    }

    @Test
    void 'every documented key of every step, with its example value, runs through the checker unrejected'() {
        int forms = 0
        int rejectedBefore = Checker.REJECTED.size()
        HelpTest.STEPS.each { String step ->
            String help = new File(PipelineHarness.ROOT, "vars/${step}.txt").text
            Map<String, String> examples = [:]
            List<String> required = []
            (help =~ /(?s)<dt><code>(\w+)<\/code>: (.*?)<\/dt><dd>.*?Example: <code>(.*?)<\/code><\/dd>/).each { List m ->
                examples[m[1]] = unescape(m[3])
                if (m[2].contains('required')) {
                    required << unescape(m[3])
                }
            }
            examples.each { String key, String example ->
                PipelineHarness h = harness()
                String args = ([example] + required.findAll { it != example }).join(', ')
                String call = step in ['withDockerCleanup', 'dockerInside'] ? "${step}(${args}) { sh 'true' }" : "${step}(${args})"
                try {
                    h.runPipeline(call, step)
                } catch (StepError e) {
                    // a key that needs another (registry needs credentialsId): the step's own check, not the sandbox's
                    assert e.message.startsWith(step + ': '): call
                }
                forms++
            }
        }
        assert Checker.REJECTED.size() == rejectedBefore: Checker.REJECTED.drop(rejectedBefore)
        // every key of every step ran (HelpTest: each help documents every key with an example)
        assert forms == HelpTest.STEPS.sum { String step -> HelpTest.keysOf(step).size() }
    }

    @Test
    void 'every example of every step help runs through the checker unrejected'() {
        int examples = 0
        int rejectedBefore = Checker.REJECTED.size()
        new File(PipelineHarness.ROOT, 'vars').listFiles().findAll { it.name.endsWith('.txt') }.each { File help ->
            (help.text =~ /(?s)<pre>(.*?)<\/pre>/).each { List match ->
                PipelineHarness h = harness()
                String example = unescape(match[1].toString())
                // a post section runs as the pipeline's, after (here no) stages
                h.runPipeline(example.startsWith('post') ? "pipeline {\nstages { }\n${example}\n}" : example, help.name)
                assert h.callsOf('error').empty: "${help.name}: ${h.callsOf('error')*.args}"
                assert !h.callsOf('sh').empty
                examples++
            }
        }
        assert Checker.REJECTED.size() == rejectedBefore: Checker.REJECTED.drop(rejectedBefore)
        // every <pre> of every help ran (each help has at least one: HelpTest)
        assert examples == new File(PipelineHarness.ROOT, 'vars').listFiles().findAll { it.name.endsWith('.txt') }
            .sum { File help -> help.text.count('<pre>') }
    }

    @Test
    void 'the library is compiled with the checker: a step reaching for env by subscript would be stopped'() {
        // given the library's own sources, compiled with the checker (vars/ by the harness, src/ by run.sh)
        Map result = probe("new io.whalekeeper.Steps(this, 'probe').env('BUILD_NUMBER')")
        // then its env read went through the checker (allowed: env.getProperty), and Steps is library code
        assert result.rejected == [] && result.value == '42'
        assert Checker.library(io.whalekeeper.Steps) && Checker.library(Class.forName('io.whalekeeper.Params'))
        assert !Checker.library(PipelineHarness)
        // and src/ was compiled with it: its classes call the checker
        assert io.whalekeeper.Commands.getResourceAsStream('Commands.class').bytes.length > 0
        assert new String(io.whalekeeper.Commands.getResourceAsStream('Commands.class').bytes, 'ISO-8859-1')
            .contains('io/whalekeeper/sandbox/Checker')
    }

    static PipelineHarness harness() {
        PipelineHarness h = new PipelineHarness()
        h.credentials['registry-creds'] = [username: 'u', password: 'p']
        h.credentials['diag-token'] = [secret: 's']
        h.shResult = { Map call -> call.returnStdout ? '1.0\n0\n' : 0 }
        h.binding.setVariable('image', 'base:42')
        return h
    }

    static String unescape(String html) {
        return html.replace('&lt;', '<').replace('&gt;', '>').replace('&amp;', '&').replace('&quot;', '"')
    }
}
