package io.whalekeeper.test

import org.junit.Test

class CleanDockerAgentTest extends StepTestCase {

    @Test
    void 'cleans the agent with the default target and grace'() {
        assert h.step('cleanDockerAgent', [:]) == 0
        assertCliCall(0, ['clean', '--agent', '--target', '70%', '--grace', '1h'])
    }

    @Test
    void 'hands every option on'() {
        h.step('cleanDockerAgent', [target: '20GB', grace: '0s', images: 'unused', volumes: true, buildCache: true,
                                    keepImages: ['base:*', 'tools/*'], dryRun: true])
        assertCliCall(0, ['clean', '--agent', '--target', '20GB', '--grace', '0s', '--images', 'unused', '--volumes',
                          '--build-cache', '--keep-image', 'base:*', '--keep-image', 'tools/*', '--dry-run'])
    }

    @Test
    void 'never fails the build unless failOnError'() {
        // given a clean that fails
        h.shResult = { Map call -> 3 }
        // when / then: reported, status returned
        assert h.step('cleanDockerAgent', [:]) == 3
        assert h.callsOf('echo')*.args == ['cleanDockerAgent: `whalekeeper clean` exited with 3: the Docker engine could ' +
            'not be reached, or was lost midway (is DOCKER_HOST right, is the daemon up?); the build goes on (failOnError: true fails it)']
        assert errorOf { h.step('cleanDockerAgent', [failOnError: true]) } ==
            'cleanDockerAgent: `whalekeeper clean` exited with 3: the Docker engine could not be reached, or was lost ' +
            'midway (is DOCKER_HOST right, is the daemon up?) (see its output above)'
    }

    @Test
    void 'a clean that failed because the engine refuses the API version says so in the log, not only the status'() {
        // given the CLI's exit 4 (the engine refuses whalekeeper's Engine API version), then 70, 5 and 1
        h.shResult = { Map call -> 4 }
        h.step('cleanDockerAgent', [:])
        h.shResult = { Map call -> 70 }
        h.step('cleanDockerAgent', [:])
        h.shResult = { Map call -> 5 }
        h.step('cleanDockerAgent', [:])
        h.shResult = { Map call -> 1 }
        h.step('cleanDockerAgent', [:])
        // then each echo names the reason; a status whose meaning is the command's (1) is left to the CLI's output
        assert h.callsOf('echo')*.args == [
            'cleanDockerAgent: `whalekeeper clean` exited with 4: the Docker engine refuses the Engine API version ' +
                'whalekeeper speaks (DOCKER_API_VERSION selects another; the line above names the versions the engine ' +
                'accepts); the build goes on (failOnError: true fails it)',
            'cleanDockerAgent: `whalekeeper clean` exited with 70: an internal error of whalekeeper (a bug: please ' +
                'report it with the output above); the build goes on (failOnError: true fails it)',
            'cleanDockerAgent: `whalekeeper clean` exited with 5: the disk could not be measured, so the target could ' +
                'not be held (the warning above says why: run where the data root is visible, or give a helper image ' +
                'with stat); the build goes on (failOnError: true fails it)',
            'cleanDockerAgent: `whalekeeper clean` exited with 1; the build goes on (failOnError: true fails it)',
        ]
    }

    @Test
    void 'rejects wrong types'() {
        assert errorOf { h.step('cleanDockerAgent', [keepImages: 'base:*']) } ==
            'cleanDockerAgent: keepImages must be a List of Strings, not a String'
        assert errorOf { h.step('cleanDockerAgent', [target: 70]) } == 'cleanDockerAgent: target must be a String, not an Integer'
        assert errorOf { h.step('cleanDockerAgent', [images: 'all']) } == 'cleanDockerAgent: images must be dangling or unused'
        assert h.shCalls().empty
        h.step('cleanDockerAgent', [images: 'dangling'])
        assertCliCall(0, ['clean', '--agent', '--target', '70%', '--grace', '1h', '--images', 'dangling'])
    }
}
