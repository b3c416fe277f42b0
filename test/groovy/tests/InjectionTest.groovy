package io.whalekeeper.test

import groovy.json.JsonSlurper
import java.nio.file.Files
import org.junit.AfterClass
import org.junit.Test

/**
 * Hostile values through every parameter of every step: the recorded scripts run in a real /bin/sh with the
 * recorded environment and a stand-in whalekeeper. Nothing executes, and the argv arrives intact.
 */
class InjectionTest {

    static final File WORK = Files.createTempDirectory('wk-injection').toFile()
    static final File MARK = new File(WORK, 'pwned')
    static final List<String> HOSTILE = [
        "x; touch ${MARK}", "\$(touch ${MARK})", "`touch ${MARK}`", "'; touch ${MARK}; '", "\"; touch ${MARK}; \"",
        "a\ntouch ${MARK}", '$(id)', '${IFS}`id`', '$WK_ARGV', "\\\" \\' \\\\ \" '", 'ünï € \t tab',
    ]*.toString().asImmutable()

    /** Each step: a valid base config, and its keys that take text (all of them get every hostile value). */
    static final Map<String, Map> STEPS = [
        dockerRun        : [base: [image: 'base:42'], text: ['image', 'args', 'command']],
        dockerBuild      : [base: [image: 'base'], text: ['image', 'file', 'context', 'args', 'buildArgs', 'tag']],
        withDockerCleanup: [base: [agent: true], text: ['target', 'grace']],
        cleanDockerAgent : [base: [:], text: ['target', 'grace', 'keepImages']],
        cleanDockerBuild : [base: [:], text: []],
        dockerDiskCheck  : [base: [clean: true], text: ['warn', 'fail', 'prometheus', 'cleanTarget', 'measureImage']],
        verifyDeployment : [base: [url: 'http://a'], text: ['url', 'expect', 'timeout', 'interval', 'requestTimeout',
                                                            'field', 'ca', 'junit']],
        dockerInside     : [base: [image: 'node:22'], text: []],
    ]

    /** Keys that take no text, or one of a few words (images): a hostile String is refused by validation, before any sh. */
    static final Map<String, List<String>> TYPED = [
        dockerRun        : ['returnStatus', 'returnStdout', 'credentialsId', 'registry'],
        dockerBuild      : ['credentialsId', 'registry', 'push'],
        withDockerCleanup: ['agent', 'failOnError'],
        cleanDockerAgent : ['images', 'volumes', 'buildCache', 'dryRun', 'failOnError'],
        cleanDockerBuild : ['failOnError'],
        dockerDiskCheck  : ['clean', 'returnStatus', 'failNotMeasured'],
        verifyDeployment : ['stable', 'replicas', 'allAddresses', 'allowNewer', 'insecure', 'returnStatus', 'headers',
                            'direct', 'followRedirectsCrossHost'],
        dockerInside     : ['failOnError'],
    ]

    /** Keys no sh carries: they go to Docker Pipeline's withDockerContainer (DockerInsideTest covers them). */
    static final Map<String, List<String>> PLUGIN = [dockerInside: ['image', 'args']]

    static final File BIN_DIR = new File(WORK, "bin \$(touch ${MARK}) `id` ';\"\n")
    static final File STAND_IN = new File(BIN_DIR, 'whalekeeper')

    static {
        BIN_DIR.mkdirs()
        STAND_IN.bytes = new File(PipelineHarness.ROOT, 'test/groovy/fixtures/whalekeeper').bytes
        STAND_IN.setExecutable(true)
    }

    @AfterClass
    static void removeWork() {
        WORK.deleteDir()
    }

    /** Runs a step with a config in a harness whose CLI is the stand-in; returns the harness. */
    private static PipelineHarness runStep(String step, Map config, Map<String, String> env = [:]) {
        PipelineHarness h = new PipelineHarness()
        h.env.WHALEKEEPER_BIN = STAND_IN.path
        h.env.putAll(env)
        invoke(h, step, config)
        return h
    }

    /** Calls a step, with a body for the block step. */
    static Object invoke(PipelineHarness h, String step, Map config) {
        Closure body = { 'body' }
        return step in ['withDockerCleanup', 'dockerInside'] ? h.step(step, config, body) : h.step(step, config)
    }

    /** Replays every recorded sh; asserts nothing ran and each argv arrived as the step built it. */
    private static List<List<String>> replay(PipelineHarness h) {
        List<List<String>> received = []
        h.shCalls().eachWithIndex { Map call, int i ->
            File record = new File(WORK, "record-${i}")
            ShellReplay.Result result = ShellReplay.run(call,
                [PATH: '/usr/bin:/bin', HOME: WORK.path, WK_FAKE_RECORD: record.path], WORK)
            assert result.status == 0: result.output
            assert !result.output.contains('uid=')
            assert record.text == '--argv-env\u0000WK_ARGV\u0000'
            assert new File(record.path + '.json').getText('UTF-8') == call.env.WK_ARGV
            received << (List<String>) new JsonSlurper().parseText(new File(record.path + '.json').getText('UTF-8'))
        }
        assert !MARK.exists()
        return received
    }

    private static Object hostileValueFor(String step, String key, String value) {
        if (key in ['args', 'command', 'keepImages'] || (step == 'verifyDeployment' && key == 'url' && value.size() % 2)) {
            return [value, value]
        }
        return key == 'buildArgs' ? [(value): value] : value
    }

    @Test
    void 'control - the replay does notice a script that lets a value execute'() {
        // given a script that evaluates a value (what the steps must never do)
        Map call = [script: 'eval "echo $VALUE"', env: [VALUE: "\$(touch ${MARK})".toString()]]
        // when it replays
        ShellReplay.run(call, [PATH: '/usr/bin:/bin'], WORK)
        // then the mark exists: the assertions above would have caught it
        assert MARK.exists()
        MARK.delete()
    }

    @Test
    void 'every text parameter of every step carries every hostile value intact and runs nothing'() {
        int runs = 0
        STEPS.each { String step, Map spec ->
            ((List<String>) spec.text).each { String key ->
                HOSTILE.each { String value ->
                    // given a hostile value in this parameter
                    Map config = ((Map) spec.base) + [(key): hostileValueFor(step, key, value)]
                    // when the step runs and its scripts replay in /bin/sh
                    PipelineHarness h = runStep(step, config)
                    List<List<String>> received = replay(h)
                    // then the stand-in got exactly the argv the step built, with the value whole in it
                    assert received == h.cliArgvs()
                    assert received.flatten().any { String arg -> arg.contains(value) }: "${step} ${key}"
                    runs++
                }
            }
        }
        assert runs == STEPS.values().sum { ((List) it.text).size() } * HOSTILE.size()
    }

    @Test
    void 'a hostile build number (the default tag) and a hostile WHALEKEEPER_BIN path run nothing'() {
        HOSTILE.each { String value ->
            PipelineHarness h = runStep('dockerBuild', [image: 'base'], [BUILD_NUMBER: value])
            assert replay(h) == [['build', '--tag', 'base:' + value, '.']]
        }
        assert STAND_IN.path.contains('$(touch')
        assert replay(runStep('cleanDockerBuild', [:])) == [['clean']]
    }

    @Test
    void 'every other parameter refuses a hostile String before any sh'() {
        TYPED.each { String step, List<String> keys ->
            keys.each { String key ->
                HOSTILE.each { String value ->
                    PipelineHarness h = new PipelineHarness()
                    try {
                        invoke(h, step, ((Map) STEPS[step].base) + [(key): key == 'headers' ? [Authorization: value] : value])
                        assert false: "${step} ${key} accepted a hostile value"
                    } catch (StepError e) {
                        assert e.message.startsWith(step + ': ')
                        assert !e.message.contains(value)
                    }
                    assert h.shCalls().empty
                }
            }
        }
    }

    @Test
    void 'the tables above cover every key of every step'() {
        STEPS.each { String step, Map spec ->
            List<String> declared = HelpTest.keysOf(step)
            assert (((List) spec.text) + TYPED[step] + (PLUGIN[step] ?: [])).sort() == declared.sort()
        }
    }
}
