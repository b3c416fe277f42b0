package io.whalekeeper.test

import groovy.json.JsonOutput
import org.junit.Test

class CleanDockerBuildTest extends StepTestCase {

    @Test
    void 'cleans this build and reports a failure without failing'() {
        assert h.step('cleanDockerBuild') == 0
        assert h.cliWithEnvs()[0].args == ['WK_BIN=' + BIN, 'WK_ARGV=' + JsonOutput.toJson(['clean']), 'WHALEKEEPER_SCOPE=']
        assert h.shCalls()[0].script == CLI
        h.shResult = { Map call -> 1 }
        assert h.step('cleanDockerBuild', [:]) == 1
        assert errorOf { h.step('cleanDockerBuild', [failOnError: true]) } ==
            'cleanDockerBuild: `whalekeeper clean` exited with 1 (see its output above)'
    }

    @Test
    void 'inside a withDockerCleanup block it still cleans the whole build: the scope is unset for it'() {
        // given a block (its scope in WHALEKEEPER_SCOPE), when cleanDockerBuild runs in it
        h.step('withDockerCleanup', [:], { h.step('cleanDockerBuild') })
        // then its clean has no --scope and WHALEKEEPER_SCOPE is empty (withEnv unsets it), while the block's has one
        Map inner = h.shCalls()[0]
        assert inner.env.WHALEKEEPER_SCOPE == ''
        assert h.cliArgvs()[0] == ['clean']
        assert h.cliArgvs()[1][0] == '--scope' && h.cliArgvs()[1][2] == 'clean'
        assert h.cliArgvs()[1][1].startsWith('withDockerCleanup-')
    }
}
