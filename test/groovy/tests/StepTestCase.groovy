package io.whalekeeper.test

import groovy.json.JsonOutput
import org.junit.Before

/** What every step test shares: a fresh harness and assertions on the exact withEnv list and sh call. */
abstract class StepTestCase {

    static final String BIN = '/opt/whalekeeper/bin/whalekeeper'
    static final String CLI = '"$WK_BIN" --argv-env WK_ARGV'

    PipelineHarness h

    @Before
    void freshHarness() {
        h = new PipelineHarness()
    }

    /** The `index`-th CLI call got exactly this withEnv list and this sh call. */
    void assertCliCall(int index, List<String> argv) {
        List<Map> withEnvs = h.cliWithEnvs()
        assert withEnvs[index].args == ['WK_BIN=' + BIN, 'WK_ARGV=' + JsonOutput.toJson(argv)]
        Map sh = h.shCalls()[index]
        assert sh.script == CLI
        assert sh.returnStatus == true
        assert sh.env == [WK_BIN: BIN, WK_ARGV: JsonOutput.toJson(argv)]
    }

    /** The error a step fails with (its message), asserting it went through the `error` step. */
    String errorOf(Closure call) {
        try {
            call()
        } catch (StepError e) {
            assert h.callsOf('error')*.args.contains(e.message)
            return e.message
        }
        throw new AssertionError('the step did not fail')
    }
}
