package io.whalekeeper.test

import org.junit.Test

class CleanDockerBuildTest extends StepTestCase {

    @Test
    void 'cleans this build and reports a failure without failing'() {
        assert h.step('cleanDockerBuild') == 0
        assertCliCall(0, ['clean'])
        h.shResult = { Map call -> 1 }
        assert h.step('cleanDockerBuild', [:]) == 1
        assert errorOf { h.step('cleanDockerBuild', [failOnError: true]) } ==
            'cleanDockerBuild: `whalekeeper clean` exited with 1 (see its output above)'
    }
}
