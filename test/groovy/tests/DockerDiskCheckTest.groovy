package io.whalekeeper.test

import org.junit.Test

class DockerDiskCheckTest extends StepTestCase {

    @Test
    void 'checks with the default thresholds'() {
        assert h.step('dockerDiskCheck') == 0
        assertCliCall(0, ['disk', '--warn', '80%', '--fail', '90%'])
    }

    @Test
    void 'cleans first when asked, and writes metrics'() {
        h.step('dockerDiskCheck', [warn: '70%', fail: '95%', clean: true, cleanTarget: '60%', prometheus: '/tmp/m.prom'])
        assertCliCall(0, ['clean', '--agent', '--target', '60%', '--grace', '1h'])
        assertCliCall(1, ['disk', '--warn', '70%', '--fail', '95%', '--prometheus', '/tmp/m.prom'])
    }

    @Test
    void 'fails above the fail threshold unless returnStatus'() {
        h.shResult = { Map call -> 1 }
        assert errorOf { h.step('dockerDiskCheck') } == 'dockerDiskCheck: `whalekeeper disk` exited with 1: 1 = above the ' +
            'fail threshold, 3 = the engine could not be reached, 4 = the engine refuses whalekeeper\'s API version, 5 = ' +
            'the data root could not be measured (see its output above)'
        assert h.step('dockerDiskCheck', [returnStatus: true]) == 1
    }

    @Test
    void 'passes measureImage on as --measure-image'() {
        h.step('dockerDiskCheck', [measureImage: 'busybox:1.36'])
        assertCliCall(0, ['disk', '--warn', '80%', '--fail', '90%', '--measure-image', 'busybox:1.36'])
    }

    @Test
    void 'a disk that could not be measured (exit 5) is a warning that says why, unless failNotMeasured'() {
        h.shResult = { Map call -> 5 }
        assert h.step('dockerDiskCheck') == 5
        assert h.callsOf('error').isEmpty()
        assert h.callsOf('echo')*.args.flatten().any { it.startsWith('dockerDiskCheck: warning: the disk could not be measured') }
        assert errorOf { h.step('dockerDiskCheck', [failNotMeasured: true]) }.startsWith('dockerDiskCheck: `whalekeeper disk` exited with 5')
        assert h.step('dockerDiskCheck', [failNotMeasured: true, returnStatus: true]) == 5
    }

    @Test
    void 'an engine that cannot be reached still fails the step'() {
        h.shResult = { Map call -> 3 }
        assert errorOf { h.step('dockerDiskCheck') }.startsWith('dockerDiskCheck: `whalekeeper disk` exited with 3')
    }
}
