package io.whalekeeper.test

import org.junit.Test

/** Every step has help in one format, listing every key with its type, default and an example. */
class HelpTest {

    static final List<String> STEPS = ['dockerRun', 'dockerBuild', 'withDockerCleanup', 'cleanDockerAgent',
                                       'cleanDockerBuild', 'dockerDiskCheck', 'verifyDeployment', 'dockerInside']

    /** The keys a step declares, as its own unknown-key error lists them. */
    static List<String> keysOf(String step) {
        PipelineHarness h = new PipelineHarness()
        try {
            InjectionTest.invoke(h, step, [noSuchKey: 1])
        } catch (StepError e) {
            return (e.message =~ /the keys are (.*) \(see/)[0][1].split(', ').toList()
        }
        throw new AssertionError("${step} accepted an unknown key")
    }

    @Test
    void 'each step is vars NAME groovy with a NAME txt that documents every key'() {
        assert new File(PipelineHarness.ROOT, 'vars').list().findAll { it.endsWith('.groovy') }.sort() ==
            STEPS.collect { it + '.groovy' }.sort()
        STEPS.each { String step ->
            String help = new File(PipelineHarness.ROOT, "vars/${step}.txt").text
            assert help.startsWith("<p><code>${step}</code> ")
            assert help.contains('<pre>') && help.contains('Needs a node.')
            List<String> documented = (help =~ /<dt><code>(\w+)<\/code>: /).collect { it[1] }
            assert documented == keysOf(step)
            documented.each { String key ->
                String entry = (help =~ /(?s)<dt><code>${key}<\/code>: ([^<]*)<.*?<\/dd>/)[0][0]
                assert entry =~ /: (String|List of Strings|Boolean|Integer|Map of String to String|String or number|String or List of Strings), (required|default )/
                assert entry.contains('Example: <code>' + key + ': ')
            }
        }
    }

    @Test
    void 'each step is a call with a Map config and a commented defaults map, and shadows no built-in'() {
        STEPS.each { String step ->
            String source = new File(PipelineHarness.ROOT, "vars/${step}.groovy").text
            assert source.contains('def call(Map config = [:]')
            assert source.contains('// key')
        }
        List<String> builtIns = ['docker', 'sh', 'node', 'error', 'echo', 'junit', 'withEnv', 'build', 'stage', 'retry',
                                 'timeout', 'parallel', 'input', 'dir', 'deleteDir', 'archiveArtifacts', 'env', 'params',
                                 'currentBuild', 'scm', 'pipeline', 'libraryResource', 'container', 'podTemplate',
                                 'withDockerContainer', 'withDockerRegistry', 'withCredentials', 'isUnix', 'writeFile', 'pwd']
        assert STEPS.intersect(builtIns).empty
    }
}
